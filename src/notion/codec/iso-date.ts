const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** An ISO 8601 date or date-time, split into the parts Notion cares about. */
export interface IsoDate {
  /** "YYYY-MM-DD". */
  date: string;
  /** "HH:mm:ss.SSS"; absent for a date without time. */
  time?: string;
  /** "+hh:mm" ("Z" becomes "+00:00"); absent when the text carried no offset. */
  offset?: string;
}

/**
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:mm[:ss[.fff]]" with an optional "Z" / "±hh[:mm]" offset
 * (a space instead of "T" is accepted: SQLite's `datetime()` writes one). Returns null for
 * anything else, including impossible calendar dates such as 2023-02-30.
 */
export function parseIsoDate(text: string): IsoDate | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined || mi === undefined) return { date };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  const time = `${h}:${mi}:${s ?? "00"}.${(frac ?? "").padEnd(3, "0").slice(0, 3)}`;
  if (zone === undefined) return { date, time };
  const offset = normalizeOffset(zone);
  return offset === null ? null : { date, time, offset };
}

function normalizeOffset(zone: string): string | null {
  if (zone.toUpperCase() === "Z") return "+00:00";
  const digits = zone.slice(1).replace(":", "");
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2, 4).padEnd(2, "0");
  if (Number(hours) > 23 || Number(minutes) > 59) return null;
  return `${zone[0]}${hours}:${minutes}`;
}

/** The parts back as ISO text: "YYYY-MM-DD" or "YYYY-MM-DDTHH:mm:ss.SSS[±hh:mm]". */
export function formatIsoDate(parts: IsoDate): string {
  if (parts.time === undefined) return parts.date;
  return `${parts.date}T${parts.time}${parts.offset ?? ""}`;
}

/**
 * The parts cut to the minute, as Notion stores a written date-time: it keeps no seconds and cuts
 * them (17:57:38.09 is stored as 17:57:00.000), never rounds. A date without time is unchanged.
 */
export function toMinute(parts: IsoDate): IsoDate {
  if (parts.time === undefined) return parts;
  return { ...parts, time: `${parts.time.slice(0, 5)}:00.000` };
}

/**
 * A key that is equal for two texts Notion stores as the same value: the same minute (Notion keeps
 * no seconds), "2024-01-08T12:00:30Z" and "2024-01-08T12:00:00.000+00:00" agree. Instants are
 * compared as instants; dates without time and times without offset (floating) as written,
 * normalised. Unparsable text is its own key.
 */
export function dateKey(text: string): string {
  const parts = parseIsoDate(text);
  if (!parts) return `raw:${text}`;
  if (parts.time === undefined) return `date:${parts.date}`;
  const minute = formatIsoDate(toMinute(parts));
  if (parts.offset === undefined) return `local:${minute}`;
  return `instant:${Date.parse(minute)}`;
}

/** True when `name` is an IANA time zone this runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time ("YYYY-MM-DDTHH:mm:ss.SSS", no offset) that a date-time shows in `timeZone`:
 * the form Notion requires beside a `time_zone`. A text without offset is already wall-clock and
 * is returned normalised; a date without time is returned as is. Null when unparsable.
 */
export function wallClockIn(text: string, timeZone: string): string | null {
  const parts = parseIsoDate(text);
  if (!parts) return null;
  if (parts.time === undefined || parts.offset === undefined) return formatIsoDate(parts);
  const instant = new Date(formatIsoDate(parts));
  const fields = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    fields.find((field) => field.type === type)?.value ?? "00";
  const ms = String(instant.getUTCMilliseconds()).padStart(3, "0");
  const year = part("year").padStart(4, "0");
  return `${year}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}.${ms}`;
}
