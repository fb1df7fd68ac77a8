import type { EngineProgress } from "../apply/engine-types.ts";
import { counted } from "../util/plural.ts";

/** What a push or revert says on stderr the moment Ctrl-C comes. */
export const STOPPING_NOTICE =
  "\nCtrl-C: no new page is started; finishing the writes in flight (Ctrl-C again quits at once: every sent write is in the snapshot, and the next run settles it).\n";

/**
 * Turns the first Ctrl-C into a graceful stop (no new page is started; pages in flight finish
 * and are recorded, so the run resumes cleanly); a second Ctrl-C exits at once (130).
 */
export function stopOnInterrupt(onFirst: () => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort();
  };
  process.on("SIGINT", handler);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", handler) };
}

/**
 * What an interrupted push or revert did and what is left, from the engine's last progress:
 * "stopped by Ctrl-C: 12 pages written, 53 left — `notion-mirror push RUN` resumes".
 */
export function stoppedNotice(
  progress: EngineProgress | undefined,
  done: "written" | "restored",
  resume: string,
): string {
  const written = progress?.pagesWritten ?? 0;
  const left = progress ? progress.pagesTotal - progress.pagesDone : undefined;
  const rest = left === undefined ? "the rest left" : `${left} left`;
  return `stopped by Ctrl-C: ${counted(written, "page")} ${done}, ${rest} — \`${resume}\` resumes\n`;
}

/**
 * For commands that hold nothing worth finishing (a pull keeps nothing until it commits): on
 * Ctrl-C, runs `cleanup`, prints `message` on stderr and exits 130 at once.
 */
export function exitOnInterrupt(cleanup: () => void, message: string): { dispose: () => void } {
  const handler = () => {
    try {
      cleanup();
    } finally {
      process.stderr.write(message);
      process.exit(130);
    }
  };
  process.once("SIGINT", handler);
  return { dispose: () => process.off("SIGINT", handler) };
}
