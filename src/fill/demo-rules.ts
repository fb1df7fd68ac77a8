import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The fill rules shipped for the demo workspace (they reproduce the team's first backfill). */
export const DEMO_RULES_FOLDER = fileURLToPath(
  new URL("../../examples/demo-fills", import.meta.url),
);

/** Copies the demo rules into `fillsDir`, keeping any file already there. Returns the files written. */
export function installDemoRules(fillsDir: string): string[] {
  mkdirSync(fillsDir, { recursive: true });
  const written: string[] = [];
  for (const file of readdirSync(DEMO_RULES_FOLDER)
    .filter((name) => name.endsWith(".sql"))
    .sort()) {
    const target = join(fillsDir, file);
    if (existsSync(target)) continue;
    copyFileSync(join(DEMO_RULES_FOLDER, file), target);
    written.push(target);
  }
  return written;
}
