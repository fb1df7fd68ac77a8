import type { RequestLogEntry } from "../../../src/emulator/index.ts";

/** When the emulator sent its answer (or gave up on the connection). */
const answeredAt = (entry: RequestLogEntry) => entry.at + entry.durationMs;

/**
 * Each 429 in the log whose request came again sooner than `retryAfterMs` after the 429 was
 * answered, or never came again; one sentence each, empty when Retry-After was honoured.
 */
export function earlyRetries(log: readonly RequestLogEntry[], retryAfterMs: number): string[] {
  const sorted = [...log].sort((a, b) => a.seq - b.seq);
  const problems: string[] = [];
  for (const refused of sorted.filter((entry) => entry.status === 429)) {
    const retry = sorted.find(
      (later) =>
        later.seq > refused.seq && later.method === refused.method && later.path === refused.path,
    );
    if (!retry)
      problems.push(`${refused.method} ${refused.path} (429 #${refused.seq}) never retried`);
    // 5 ms of slack for timer rounding between the two clocks' readings.
    else if (retry.at - answeredAt(refused) < retryAfterMs - 5)
      problems.push(
        `${refused.method} ${refused.path} retried ${retry.at - answeredAt(refused)} ms after its 429`,
      );
  }
  return problems;
}

/**
 * Requests (any) that arrived after a 429 and before its Retry-After had run out, counted from
 * when the 429 was answered. Only meaningful with one request in flight at a time (with more, a
 * request sent before the client saw the 429 may land inside the pause without any fault).
 */
export function requestsDuringPause(
  log: readonly RequestLogEntry[],
  retryAfterMs: number,
): string[] {
  const problems: string[] = [];
  for (const refused of log.filter((entry) => entry.status === 429)) {
    const until = answeredAt(refused) + retryAfterMs - 5;
    for (const other of log) {
      if (other.seq > refused.seq && other.at < until)
        problems.push(
          `${other.method} ${other.path} arrived ${other.at - answeredAt(refused)} ms after 429 #${refused.seq}`,
        );
    }
  }
  return problems;
}

/**
 * Requests that arrived while a Retry-After sent with `status` ran (counted from when it was
 * answered), other than those already on their way: a request that arrives within `graceMs` of
 * the answer left before the client could have read it. One sentence each; empty when every
 * request waited.
 */
export function requestsDuringWait(
  log: readonly RequestLogEntry[],
  options: { status: number; waitMs: number; graceMs?: number },
): string[] {
  const grace = options.graceMs ?? 300;
  const problems: string[] = [];
  for (const held of log.filter((entry) => entry.status === options.status)) {
    const from = answeredAt(held) + grace;
    const until = answeredAt(held) + options.waitMs - 5;
    for (const other of log) {
      if (other.seq !== held.seq && other.at > from && other.at < until)
        problems.push(
          `${other.method} ${other.path} arrived ${other.at - answeredAt(held)} ms after ${options.status} #${held.seq}`,
        );
    }
  }
  return problems;
}

/**
 * What the emulator answered to each request a fault rule acted on, as sorted "METHOD status"
 * lines: a test of a fault shows with it that its faults fired, and on which requests.
 */
export function faultAnswers(log: readonly RequestLogEntry[]): string[] {
  return log
    .filter((entry) => entry.fault !== undefined)
    .map((entry) => `${entry.method} ${entry.status}`)
    .sort();
}
