import { z } from "zod";

/** Input of child-pull-raw.ts: the project and the emulator to pull from. */
export const connectionInput = z.object({
  configFile: z.string(),
  token: z.string(),
  baseUrl: z.string(),
  /** A folder for the raw bound's SQLite file. */
  workDir: z.string(),
  /** The query answers the pull receives, for the raw bound (see writePageJsonFile). */
  pageJsonFile: z.string(),
});

/** Input of child-emulator.ts: the scale workspace it serves (built there, the same as here). */
export const emulatorInput = z.object({
  scale: z.object({ pages: z.number(), dataSources: z.number().optional() }),
});

/** What child-emulator.ts prints on stdout once it listens (one JSON line). */
export const emulatorReady = z.object({ url: z.string(), token: z.string() });

/** Input of child-plan-scan.ts. */
export const configInput = z.object({ configFile: z.string() });

/** What child-pull-raw.ts prints on stdout (one JSON line). */
export const pullRawResult = z.object({
  pull: z.object({
    pages: z.number(),
    requests: z.number(),
    durationMs: z.number(),
    /** CPU time of the pull's own process: its local work, without waiting on the emulator. */
    cpuMs: z.number(),
    startRss: z.number(),
    peakRss: z.number(),
  }),
  raw: z.object({
    pages: z.number(),
    bytes: z.number(),
    parseInsertMs: z.number(),
  }),
});

/** What child-plan-scan.ts prints on stdout (one JSON line). */
export const planScanResult = z.object({
  plan: z.object({
    rules: z.number(),
    changes: z.number(),
    durationMs: z.number(),
    startRss: z.number(),
    peakRss: z.number(),
    /** Peak RSS of the plan's SQL sandbox process (0 where /proc is missing). */
    sandboxPeakRss: z.number(),
    /** The same rules' SQL run directly on the mirror: the bound for plan. */
    sqlMs: z.number(),
    sqlRows: z.number(),
  }),
  scan: z.object({ liveRecords: z.number(), durationMs: z.number() }),
});

/** Reads a child's input (its one argument) against `schema`. */
export function childInput<T>(schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(process.argv[2] ?? "{}"));
}

/** Prints a child's result as its one line of stdout. */
export function childOutput(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
