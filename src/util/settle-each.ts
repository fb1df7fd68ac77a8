import { Semaphore } from "./semaphore.ts";

/**
 * Runs `work` on every item, at most `limit` at once and begun in the items' order, and settles
 * like `Promise.allSettled`: one outcome per item, in the items' order. Once `signal` fires,
 * items not yet begun are not begun; each of them settles rejected with the signal's reason.
 *
 * @example
 * const outcomes = await settleEach(sources, 32, (source) => pull(source), abort.signal);
 */
export function settleEach<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<PromiseSettledResult<R>[]> {
  const slots = new Semaphore(Math.max(1, limit));
  return Promise.allSettled(
    items.map((item) =>
      slots.run(() => {
        if (signal?.aborted) return Promise.reject(signal.reason as Error);
        return work(item);
      }),
    ),
  );
}
