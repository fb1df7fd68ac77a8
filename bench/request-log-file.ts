import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RequestLogEntry } from "../src/emulator/index.ts";
import type { BenchOptions } from "./options.ts";

/**
 * Writes a run's requests as the emulator logged them (arrival, status, window, duration) to
 * `<logDir>/<name>.json` when `--log-dir` was given: the record to find why a window drew 429s
 * or went unspent. Does nothing otherwise.
 */
export function writeRequestLog(
  options: Pick<BenchOptions, "logDir">,
  name: string,
  entries: readonly RequestLogEntry[],
): void {
  if (!options.logDir) return;
  mkdirSync(options.logDir, { recursive: true });
  writeFileSync(join(options.logDir, `${name}.json`), `${JSON.stringify(entries)}\n`);
}
