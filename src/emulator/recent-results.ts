/**
 * The most recently used results, within a total weight (say, the pages they list): the oldest
 * used go when a new one would pass it. Queries of many data sources walked together (each in a
 * few created_time windows) keep their own results, instead of all being computed again whenever
 * their number passes a fixed count, while results of a large data source cannot pile up.
 */
export class RecentResults<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly limit: number,
    private readonly weightOf: (value: V) => number,
  ) {}

  /** The value kept for `key`, now the most recently used; undefined if none. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` for `key` (replacing any), dropping the least recently used past the limit. */
  set(key: string, value: V): void {
    this.drop(key);
    const weight = Math.max(1, this.weightOf(value));
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.limit || oldest === key) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }
}
