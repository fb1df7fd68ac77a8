// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const COLOURS =
  "Import paint from src/report/paint.ts: it decides colours per output (NO_COLOR, FORCE_COLOR, a terminal).";
export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "migrations/", "snapshots/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    // src/notion/ is the one door to the SDK: the rest takes Notion's types from sdk-types.ts.
    // Colours come from src/report/paint.ts, which decides them per output when text is made.
    files: ["src/**/*.ts"],
    ignores: ["src/notion/**", "src/emulator/**", "src/report/paint.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "picocolors", message: COLOURS }],
          patterns: [
            {
              group: ["@notionhq/client", "@notionhq/client/*"],
              message: "Import Notion's types from src/notion/sdk-types.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI uses the emulator through its index (and the SDK through src/notion/sdk-types.ts).
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "picocolors", message: COLOURS }],
          patterns: [
            {
              group: ["**/emulator/*", "!**/emulator/index.ts"],
              message: "Import the emulator from src/emulator/index.ts.",
            },
            {
              group: ["@notionhq/client", "@notionhq/client/*"],
              message: "Import Notion's types from src/notion/sdk-types.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // The bench, the scripts and the tests use the emulator through its index too; only the
    // emulator's own tests reach its inside.
    files: ["bench/**/*.ts", "scripts/**/*.ts", "test/**/*.ts"],
    ignores: ["test/emulator/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/emulator/*", "!**/emulator/index.ts"],
              message: "Import the emulator from src/emulator/index.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // The emulator is an independent model of Notion: it may not import the rest of src.
    files: ["src/emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "../cli/*",
                "../config/*",
                "../notion/*",
                "../mirror/*",
                "../fill/*",
                "../apply/*",
                "../snapshot/*",
                "../report/*",
                "**/../../*",
              ],
              message: "src/emulator must not import from the rest of src.",
            },
          ],
        },
      ],
    },
  },
  {
    // One folder deeper (the demo workspace's content), `../../` is still the emulator.
    files: ["src/emulator/*/*/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../../../*", "**/../../../../*"],
              message: "src/emulator must not import from the rest of src.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["bin/**/*.js"],
    languageOptions: { globals: { URL: "readonly", process: "readonly", console: "readonly" } },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "bin/**/*.js"],
    rules: { "no-console": "off" },
  },
);
