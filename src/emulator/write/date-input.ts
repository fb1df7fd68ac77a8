import { bodyValidationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { notAString, notAnObject } from "./messages.ts";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

interface ParsedDate {
  date: string;
  /** "HH:mm:00.000": Notion keeps a written time to the minute. Absent for a date without time. */
  time?: string;
  /** "+hh:mm", absent when the text carried no offset. */
  offset?: string;
  wallMs: number;
}

function parseIso(text: string): ParsedDate | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallMs);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const date = `${y}-${mo}-${d}`;
  if (h === undefined) return { date, wallMs };
  // Seconds and fractions are cut, not rounded: 17:57:38.09 is stored as 17:57 (recorded).
  const time = `${h}:${mi}:00.000`;
  return { date, time, offset: zone === undefined ? undefined : normalizeOffset(zone), wallMs };
}

function normalizeOffset(zone: string): string {
  if (zone.toUpperCase() === "Z") return "+00:00";
  const digits = zone.slice(1).replace(":", "");
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4).padEnd(2, "0")}`;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function offsetMinutesAt(timeZone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    timeZoneName: "longOffset",
  }).formatToParts(new Date(utcMs));
  const label = parts.find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(label);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

/** The UTC offset ("+09:00") that a wall-clock time has in an IANA time zone. */
function zoneOffset(timeZone: string, wallMs: number): string {
  let offset = offsetMinutesAt(timeZone, wallMs);
  const corrected = offsetMinutesAt(timeZone, wallMs - offset * 60_000);
  if (corrected !== offset) offset = corrected;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function render(parsed: ParsedDate, timeZone: string | null): string {
  if (parsed.time === undefined) return parsed.date;
  const offset = parsed.offset ?? (timeZone ? zoneOffset(timeZone, parsed.wallMs) : "+00:00");
  return `${parsed.date}T${parsed.time}${offset}`;
}

function parseBoundary(raw: Json | undefined, path: string): ParsedDate {
  if (typeof raw !== "string") throw notAString(path, raw);
  const parsed = parseIso(raw);
  if (!parsed) throw bodyValidationError(path, "should be a valid ISO 8601 date string", raw);
  return parsed;
}

/**
 * A request date `{start, end?, time_zone?}` as Notion stores and echoes it. Date-only values stay
 * "YYYY-MM-DD". Date-times become "YYYY-MM-DDTHH:mm:00.000±hh:mm", cut to the minute: Notion keeps
 * no seconds (recorded, 37 writes of 37: start "2026-06-27T17:57:38.091433" + time_zone
 * "Europe/London" → "2026-06-27T17:57:00.000+01:00"; "2026-07-25T16:57:28.513237Z" →
 * "2026-07-25T16:57:00.000+00:00"). The recorded writes send a start only: an end, a date mention
 * and a verification date, read here too, are taken to be cut the same way. An offset in the request is
 * kept (Z becomes +00:00) and then `time_zone` is answered as null, as Notion does (recorded:
 * start "2024-01-08T12:00:00Z" + time_zone "UTC" → "2024-01-08T12:00:00.000+00:00", null);
 * without an offset the time is read in `time_zone` or else in UTC. The answer's `time_zone` is
 * always null, the zone shown as the offset: Notion's changelog ("Time zone support") says the
 * public API renders dates that way.
 * Throws 400 validation_error for a bad shape, an unparsable date or an unknown time zone.
 */
export function dateFromInput(raw: Json | undefined, path: string): JsonObject {
  if (!isObject(raw)) throw notAnObject(path, raw);
  const start = parseBoundary(raw.start, `${path}.start`);
  const end =
    raw.end === undefined || raw.end === null ? undefined : parseBoundary(raw.end, `${path}.end`);
  let timeZone: string | null = null;
  if (raw.time_zone !== undefined && raw.time_zone !== null) {
    if (typeof raw.time_zone !== "string") throw notAString(`${path}.time_zone`, raw.time_zone);
    if (!isTimeZone(raw.time_zone)) {
      throw bodyValidationError(`${path}.time_zone`, "should be a valid time zone", raw.time_zone);
    }
    timeZone = raw.time_zone;
  }
  const zoneApplies = timeZone !== null && start.time !== undefined && start.offset === undefined;
  const zone = zoneApplies ? timeZone : null;
  return {
    start: render(start, zone),
    end: end === undefined ? null : render(end, zone),
    time_zone: null,
  };
}

/** How Notion shows a date as text (date mentions): the start, or "start → end" for a range. */
export function datePlainText(date: JsonObject): string {
  const start = String(date.start);
  return typeof date.end === "string" ? `${start} → ${date.end}` : start;
}
