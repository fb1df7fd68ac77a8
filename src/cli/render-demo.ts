import { paint } from "../report/paint.ts";
import type { DemoResult, DemoStart, DemoStep } from "../demo/run-demo.ts";
import { describeRateLimit } from "./rate-limit-flags.ts";

/** The demo's opening lines: what it reproduces, at which pace, in which folder. */
export function renderDemoStart(start: DemoStart): string {
  const pc = paint(process.stderr);
  const pace = start.rateLimit === false ? "no rate limit" : describeRateLimit(start.rateLimit);
  return (
    `${pc.bold("notion-mirror demo")}: the team's first backfill, on a local emulator of their workspace\n` +
    `(Notion-Version ${start.notionVersion}; Notion's pace: ${pace}, ${start.latencyMs} ms per request; folder ${start.folder})\n`
  );
}

/** The header above one step's own output. */
export function renderDemoStep(step: DemoStep): string {
  const pc = paint(process.stderr);
  return `\n${pc.cyan(`── step ${step.index + 1}/${step.total}: ${step.title}`)}\n`;
}

/** The summary a person reads at the end of the demo. */
export function renderDemoSummary(result: DemoResult): string {
  const pc = paint(process.stderr);
  const lines = [
    `\n${pc.bold("Summary")} (${(result.durationMs / 1000).toFixed(1)} s, ${result.requests} requests to the emulator)`,
  ];
  if (result.failedStep) lines.push(`  ${pc.red("✘")} ${result.failedStep}`);
  for (const proof of result.proofs)
    lines.push(`  ${proof.ok ? pc.green("✔") : pc.red("✘")} ${proof.text}`);
  if (result.folder) lines.push(`The demo folder is kept: ${result.folder}`);
  return `${lines.join("\n")}\n`;
}
