#!/usr/bin/env node
// In a clone (or `npm install -g .`, which links one) the TypeScript sources are there: they run
// through tsx, so an old build in dist/ is never what runs. An installed package ships no
// sources, only the build (`npm pack` makes it): that runs.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const sources = fileURLToPath(new URL("../src/cli/run.ts", import.meta.url));
const compiled = fileURLToPath(new URL("../dist/cli/run.js", import.meta.url));
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(sources).href);
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  console.error(
    "notion-mirror: neither src/cli/run.ts nor dist/cli/run.js is here; this copy is incomplete (reinstall it, or run npm run build).",
  );
  process.exitCode = 1;
}
