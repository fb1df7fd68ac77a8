/**
 * Dates as half-open intervals of epoch milliseconds. A date-only value ("2024-05-10") covers its
 * whole UTC day; a date-time covers one millisecond. Comparing intervals gives Notion's semantics
 * for mixing the two: "2024-05-10T15:00Z" equals the filter "2024-05-10", and is before
 * "2024-05-11". Notion's docs: a date-time without an offset is UTC.
 */
export interface Interval {
  start: number;
  end: number;
}

const DAY = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO 8601 date or date-time; returns null for anything else. */
export function parseDateInterval(text: string, timeZone?: string | null): Interval | null {
  const day = DATE_ONLY.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (!sameCalendarDate(start, Number(day[1]), Number(day[2]), Number(day[3]))) return null;
    return { start, end: start + DAY };
  }
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const ms = Number((frac ?? "0").padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    ms,
  );
  if (!sameCalendarDate(local, Number(y), Number(mo), Number(d)) || Number(h) > 23) return null;
  let instant = local;
  if (offset && offset !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    instant -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  } else if (!offset && timeZone) {
    instant -= zoneOffsetMs(local, timeZone);
  }
  return { start: instant, end: instant + 1 };
}

function sameCalendarDate(ms: number, year: number, month: number, day: number): boolean {
  const date = new Date(ms);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Offset of an IANA zone at (about) a wall-clock time; 0 when the zone is unknown. */
function zoneOffsetMs(wallClockAsUtc: number, timeZone: string): number {
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(wallClockAsUtc));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    const asUtc = Date.UTC(
      get("year"),
      get("month") - 1,
      get("day"),
      get("hour"),
      get("minute"),
      get("second"),
    );
    return asUtc - Math.floor(wallClockAsUtc / 1000) * 1000;
  } catch {
    return 0;
  }
}

export const RELATIVE_DATES = [
  "today",
  "tomorrow",
  "yesterday",
  "one_week_ago",
  "one_week_from_now",
  "one_month_ago",
  "one_month_from_now",
] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

export const isRelativeDate = (text: string): text is RelativeDate =>
  (RELATIVE_DATES as readonly string[]).includes(text);

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

function addUtcYears(ms: number, years: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

/** The UTC day a relative date names, e.g. "one_week_ago" is the day seven days before today. */
export function relativeDay(name: RelativeDate, now: Date): Interval {
  const today = startOfUtcDay(now.getTime());
  const starts: Record<RelativeDate, number> = {
    today,
    tomorrow: today + DAY,
    yesterday: today - DAY,
    one_week_ago: today - 7 * DAY,
    one_week_from_now: today + 7 * DAY,
    one_month_ago: addUtcMonths(today, -1),
    one_month_from_now: addUtcMonths(today, 1),
  };
  return { start: starts[name], end: starts[name] + DAY };
}

export const DATE_WINDOWS = [
  "past_week",
  "past_month",
  "past_year",
  "next_week",
  "next_month",
  "next_year",
  "this_week",
] as const;
export type DateWindow = (typeof DATE_WINDOWS)[number];

export const isDateWindow = (text: string): text is DateWindow =>
  (DATE_WINDOWS as readonly string[]).includes(text);

/**
 * The span a relative condition covers, in whole UTC days including today: `past_week` is the
 * seven days before today through today, `next_month` today through the same day next month,
 * `this_week` Sunday through Saturday (Notion's default week start).
 */
export function dateWindow(name: DateWindow, now: Date): Interval {
  const today = startOfUtcDay(now.getTime());
  const tomorrow = today + DAY;
  switch (name) {
    case "past_week":
      return { start: today - 7 * DAY, end: tomorrow };
    case "past_month":
      return { start: addUtcMonths(today, -1), end: tomorrow };
    case "past_year":
      return { start: addUtcYears(today, -1), end: tomorrow };
    case "next_week":
      return { start: today, end: today + 8 * DAY };
    case "next_month":
      return { start: today, end: addUtcMonths(today, 1) + DAY };
    case "next_year":
      return { start: today, end: addUtcYears(today, 1) + DAY };
    case "this_week": {
      const sunday = today - new Date(today).getUTCDay() * DAY;
      return { start: sunday, end: sunday + 7 * DAY };
    }
  }
}

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

const MINUTE = 60_000;

/**
 * The interval widened to whole minutes: a date-time then covers its minute, a day stays its day.
 * Filters compare at this precision, as Notion does: a page dated 18:01:00 matched `equals`,
 * `on_or_before` and `on_or_after` 18:01:15.377824, and neither `before` nor `after` it
 * (recorded), since Notion keeps date-times to the minute.
 */
export function toMinutes(interval: Interval): Interval {
  return {
    start: Math.floor(interval.start / MINUTE) * MINUTE,
    end: Math.ceil(interval.end / MINUTE) * MINUTE,
  };
}
