/**
 * Runs `work` on every item, at most `limit` at once, and settles like `Promise.allSettled`: one
 * outcome per item, in the items' order. Once `signal` fires, items not yet begun are not begun;
 * each of them settles rejected with the signal's reason.
 *
 * @example
 * const outcomes = await settleEach(sources, 32, (source) => pull(source), abort.signal);
 */
export async function settleEach<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<PromiseSettledResult<R>[]> {
  const outcomes: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      if (signal?.aborted) {
        outcomes[index] = { status: "rejected", reason: signal.reason };
        continue;
      }
      try {
        outcomes[index] = { status: "fulfilled", value: await work(items[index] as T) };
      } catch (reason) {
        outcomes[index] = { status: "rejected", reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
