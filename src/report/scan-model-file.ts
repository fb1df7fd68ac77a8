import { chmodSync, renameSync, writeFileSync } from "node:fs";
import { NotionMirrorError } from "../errors.ts";
import { checkOutputFile } from "../util/path-checks.ts";
import type { CanonicalModel } from "./scan.ts";

/**
 * JSON with object keys sorted at every level (arrays keep their order), two-space indent and a
 * final newline: the same value always gives the same bytes, so files diff cleanly.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}

/**
 * Writes the model as stable JSON to `path` (mode 0600: it names the workspace's databases),
 * replacing the file atomically; through a link, the file it leads to. Returns the path written
 * (a link's target named). Throws a usage error when it cannot, and for a path that is not a
 * regular file (a folder, a device, a FIFO) before anything is written beside it.
 *
 * @example writeCanonicalModel("canonical-db-model.json", scanMirror(config, sqlite))
 */
export function writeCanonicalModel(path: string, model: CanonicalModel): string {
  const checked = checkOutputFile(path, "--out");
  const target = checked.real;
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, stableJson(model), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, target);
  } catch (error) {
    throw new NotionMirrorError(
      "usage",
      `Cannot write the model to ${target}: ${(error as Error).message}`,
      "Try: --out with a path in a folder you can write to.",
    );
  }
  return checked.shown;
}
