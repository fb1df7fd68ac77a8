import { createRequire } from "node:module";
import type * as CliProgressModule from "cli-progress";

type CliProgress = typeof CliProgressModule;

/**
 * cli-progress, loaded only when a terminal is watching: it is the slowest module to load, and
 * scripts and pipes never draw a bar.
 */
export function loadCliProgress(): CliProgress {
  return createRequire(import.meta.url)("cli-progress") as CliProgress;
}
