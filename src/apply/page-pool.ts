/**
 * What became of one page: not started (its read gave up its turn on Ctrl-C), settled with no
 * write, written (Notion applied it), or its write sent without landing (failed, refused, unknown).
 */
export type PageFate = "not-started" | "no-write" | "written" | "sent";

export interface PagePoolInput<Page> {
  pages: readonly Page[];
  /** Pages in progress at once (at least 1). */
  workers: number;
  /** At most this many pages that write; the rest are left in the queue, not even read. */
  maxWrites?: number;
  /** Once aborted, no page is started any more. */
  signal?: AbortSignal;
  /** Settles one page. An error thrown stops the pool (see runPagePool). */
  settle(page: Page): Promise<PageFate>;
  /** Called after each page is settled (not for one that was not started). */
  settled?(fate: PageFate): void;
}

/**
 * Settles pages with `workers` at once, in queue order. A page is started only with a write
 * reserved for it (`maxWrites`), and one that ends up needing no write gives its reservation
 * back. A page not started (Ctrl-C while its read waited) goes back to the front of the queue
 * and its worker stops. The first error stops the pool: workers start no new page, and it is
 * thrown only once every page in flight has finished — nothing is still being sent when the
 * caller closes the snapshot and releases the writer lock.
 *
 * Returns the pages left in the queue (deferred by `maxWrites` or the signal).
 */
export async function runPagePool<Page>(input: PagePoolInput<Page>): Promise<{ deferred: number }> {
  const queue = [...input.pages];
  let writesLeft = input.maxWrites ?? Infinity;
  let stop: { error: unknown } | undefined;
  const worker = async () => {
    while (!stop && !input.signal?.aborted && writesLeft > 0) {
      const next = queue.shift();
      if (next === undefined) return;
      writesLeft -= 1;
      let fate: PageFate;
      try {
        fate = await input.settle(next);
      } catch (error) {
        stop ??= { error };
        return;
      }
      if (fate === "not-started") {
        // Its read gave up its turn (Ctrl-C): the page is as it was, left for the next run.
        queue.unshift(next);
        writesLeft += 1;
        return;
      }
      if (fate === "no-write") writesLeft += 1;
      input.settled?.(fate);
    }
  };
  await Promise.all(Array.from({ length: input.workers }, worker));
  if (stop) throw stop.error;
  return { deferred: queue.length };
}
