/**
 * Turns the first Ctrl-C into a graceful stop (no new page is started; pages in flight finish
 * and are recorded, so the run resumes cleanly); a second Ctrl-C exits at once.
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
