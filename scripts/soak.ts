/**
 * `npm run soak`: pushes and reverts thousands of changes against the emulator while requests fail
 * in mixed ways and people edit pages, then checks the promises (test/support/invariants.ts).
 * Prints the figures; exits 1 when a promise was broken or the runs could not settle, 2 on bad
 * options. Not part of `npm test` (test/soak/soak-smoke.test.ts runs a tiny one there).
 */
import { parseSoakArgs, SOAK_USAGE } from "./soak-options.ts";
import type { SoakOptions } from "./soak-options.ts";
import { renderSoak } from "./soak-report.ts";
import { runSoak } from "./soak-run.ts";

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return 0;
  }
  let options: SoakOptions;
  try {
    options = parseSoakArgs(argv);
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n${SOAK_USAGE}\n`);
    return 2;
  }
  const figures = await runSoak(options, (line) => process.stderr.write(`soak: ${line}\n`));
  process.stdout.write(renderSoak(figures));
  return figures.failures.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `soak: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
