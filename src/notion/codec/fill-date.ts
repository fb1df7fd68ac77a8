import type { FillContext } from "./fill-context.ts";
import { asRecord, describeValue, expected, refuse, targetLabel } from "./fill-context.ts";
import type { IsoDate } from "./iso-date.ts";
import { formatIsoDate, isTimeZone, parseIsoDate, toMinute } from "./iso-date.ts";
import type { DateRequest, NaturalValue, PayloadResult } from "./types.ts";

const FORM =
  'an ISO date ("2024-01-08"), date-time ("2024-01-08T12:00:00Z") or {start, end?, time_zone?}';

function boundary(value: unknown): IsoDate | null | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? parseIsoDate(value) : null;
}

/**
 * date from ISO text (date or date-time; "T" or a space between them) or `{start, end?,
 * time_zone?}` (or its JSON text). Refused: unparsable or impossible dates, an end before the
 * start, an unknown time zone, and a time zone beside a date without time or a time carrying a
 * UTC offset (Notion requires wall-clock times with `time_zone`, and drops the zone otherwise).
 *
 * A date-time with seconds is planned as the minute Notion will store (it cuts seconds, never
 * rounds): the payload sends that minute, and `adjusted` holds it with a note that the seconds were
 * dropped, so the plan shows what Notion will hold and a read-back finds exactly what was sent.
 *
 * @example fillDate("2026-07-25 16:57:28", ctx) // payload start "2026-07-25T16:57:00.000", adjusted
 */
export function fillDate(natural: unknown, ctx: FillContext): PayloadResult {
  const raw =
    typeof natural === "string" && !natural.trim().startsWith("{")
      ? { start: natural }
      : asRecord(natural);
  if (!raw) return expected(ctx, FORM, natural);
  const start = boundary(raw.start);
  const end = boundary(raw.end);
  if (!start || end === null) return expected(ctx, FORM, natural);
  const zone = raw.time_zone;
  if (zone !== undefined && zone !== null && typeof zone !== "string") {
    return expected(ctx, FORM, natural);
  }
  const timeZone = zone ?? null;
  const label = targetLabel(ctx);
  if (timeZone !== null) {
    if (!isTimeZone(timeZone)) {
      return refuse(
        `${describeValue(timeZone)} is not a time zone (for ${label}); use an IANA name such as "Europe/Paris"`,
      );
    }
    const bounds = end ? [start, end] : [start];
    if (bounds.some((part) => part.time === undefined || part.offset !== undefined)) {
      return refuse(
        `with time_zone ${describeValue(timeZone)}, ${label} needs date-times without a UTC offset ("2024-01-08T12:00:00"), got ${describeValue(natural)}`,
      );
    }
  }
  if (end && !endNotBefore(start, end)) {
    return refuse(`the end of ${label} is before its start: ${describeValue(natural)}`);
  }
  const date: DateRequest = {
    start: formatIsoDate(toMinute(start)),
    end: end ? formatIsoDate(toMinute(end)) : null,
    time_zone: timeZone,
  };
  const cut = [start, end].some((bound) => bound && bound.time !== toMinute(bound).time);
  if (!cut) return { ok: true, payload: { date } };
  const stored: NaturalValue =
    typeof natural === "string" && raw.start === natural
      ? date.start
      : {
          start: date.start,
          ...(date.end === null ? {} : { end: date.end }),
          ...(timeZone === null ? {} : { time_zone: timeZone }),
        };
  return {
    ok: true,
    payload: { date },
    adjusted: {
      natural: stored,
      note: `seconds dropped: Notion keeps date-times to the minute (the rule gave ${describeValue(natural)})`,
    },
  };
}

/**
 * False only when the end is surely before the start: two instants compared as instants, else
 * the texts compared (dates and wall-clock times sort as text); a date against a date-time is
 * compared on the date alone.
 */
function endNotBefore(start: IsoDate, end: IsoDate): boolean {
  if (start.offset !== undefined && end.offset !== undefined) {
    return Date.parse(formatIsoDate(start)) <= Date.parse(formatIsoDate(end));
  }
  if ((start.time === undefined) !== (end.time === undefined)) return start.date <= end.date;
  return formatIsoDate(start) <= formatIsoDate(end);
}
