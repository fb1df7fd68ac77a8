import type {
  HoldEvent,
  RequestEvent,
  RequestLabel,
  RetryEvent,
} from "../notion/request-events.ts";

/** Seconds for people: "90 s", "4.5 s", "0.4 s". */
export function seconds(ms: number): string {
  const value = ms / 1000;
  return `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))} s`;
}

/** A local wall-clock time, "22:14:05". */
export function clockTime(at: number): string {
  const date = new Date(at);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
}

const label = (request: RequestLabel | undefined) =>
  request ? `${request.method} ${request.path}` : "a request";

/** "attempt 3 of 8", "attempts 2, 4 of 8", "attempts 2–5 of 8" (each number seen, no gaps implied). */
function attempts(numbers: readonly number[], max: number | undefined): string {
  const distinct = [...new Set(numbers)].sort((a, b) => a - b);
  const first = distinct[0] ?? 0;
  const last = distinct[distinct.length - 1] ?? first;
  const list =
    distinct.length === 1
      ? `attempt ${first}`
      : distinct.length >= 3 && last - first === distinct.length - 1
        ? `attempts ${first}–${last}`
        : `attempts ${distinct.join(", ")}`;
  return `${list}${max ? ` of ${max}` : ""}`;
}

/**
 * A long wait, with its reason, what is pending and when work resumes:
 * "Notion asked to wait 90 s (429 rate_limited on PATCH /v1/pages/…) — 41 pages pending;
 * resuming at 22:14:05". A wait Notion did not ask for is backoff after failures.
 */
export function describeWait(
  event: RetryEvent,
  resumesAt: number,
  pending: string | undefined,
): string {
  const where = event.request ? ` on ${label(event.request)}` : "";
  const head =
    event.cause === "refused" || event.retryAfterMs !== undefined
      ? `Notion asked to wait ${seconds(event.delayMs)} (${event.reason}${where})`
      : `${label(event.request)} failed (${event.reason}) on ${attempts([event.attempt], event.maxAttempts)}; waiting ${seconds(event.delayMs)} before retrying`;
  return `${head}${pending ? ` — ${pending}` : ""}; resuming at ${clockTime(resumesAt)}`;
}

/**
 * One short retry: "GET /v1/users/me failed (fetch failed: ECONNREFUSED) on attempt 2 of 8;
 * retrying in 0.4 s". A refusal is no failure and spends no attempt: "POST /v1/… refused (429
 * rate_limited), nothing applied; sending it again in 2 s, as Notion asked".
 */
export function describeRetry(event: RetryEvent): string {
  if (event.cause === "refused")
    return `${label(event.request)} refused (${event.reason}), nothing applied; sending it again in ${seconds(event.delayMs)}${event.retryAfterMs === undefined ? "" : ", as Notion asked"}`;
  return `${label(event.request)} failed (${event.reason}) on ${attempts([event.attempt], event.maxAttempts)}; retrying in ${seconds(event.delayMs)}`;
}

/** Several short retries for one reason, folded into one line; every attempt number is named. */
export function describeRetries(reason: string, events: readonly RetryEvent[]): string {
  const requests = new Set(events.map((event) => label(event.request)));
  const [example] = requests;
  const who =
    requests.size === 1 ? example : `${requests.size} requests (e.g. ${example ?? "a request"})`;
  if (events.every((event) => event.cause === "refused"))
    return `${events.length} refusals: ${who} refused (${reason}), nothing applied; each sent again after the wait`;
  const max = events.find((event) => event.maxAttempts !== undefined)?.maxAttempts;
  return `${events.length} retries: ${who} failed (${reason}) on ${attempts(
    events.map((event) => event.attempt),
    max,
  )}; retrying`;
}

/**
 * A wait for the window's budget to reset: "Notion's budget of 180 requests per 60 s window is
 * spent; waiting 41 s for it to reset — 41 pages pending; resuming at 22:14:05".
 */
export function describeHold(
  event: HoldEvent,
  resumesAt: number,
  pending: string | undefined,
): string {
  return `${holdReason(event)}; waiting ${seconds(event.delayMs)} for it to reset${pending ? ` — ${pending}` : ""}; resuming at ${clockTime(resumesAt)}`;
}

function holdReason(event: HoldEvent): string {
  if (event.budget === undefined) return "Notion's budget for this window is spent";
  const window = event.windowMs === undefined ? "window" : `${seconds(event.windowMs)} window`;
  return `Notion's budget of ${event.budget.toLocaleString("en-US")} requests per ${window} is spent`;
}

/** A wait's reason in a few words, for countdowns and progress bars. */
function shortReason(event: RequestEvent): string {
  return event.type === "hold" ? "window budget spent" : event.reason;
}

/** A long wait still running: "still waiting: 80 s left (429 rate_limited); resuming at 22:14:05". */
export function describeCountdown(event: RequestEvent, until: number, now: number): string {
  const left = Math.max(0, until - now);
  return `still waiting: ${seconds(Math.ceil(left / 1000) * 1000)} left (${shortReason(event)}); resuming at ${clockTime(until)}`;
}

/** What a progress bar shows while a request waits: "waiting 41 s (429 rate_limited), until 22:14:05". */
export function waitNotice(event: RequestEvent, until: number, now: number): string {
  const left = Math.max(0, until - now);
  return left > 0
    ? `waiting ${seconds(Math.ceil(left / 1000) * 1000)} (${shortReason(event)}), until ${clockTime(until)}`
    : event.type === "hold"
      ? "resuming: the window has reset"
      : `retrying after ${event.reason}`;
}
