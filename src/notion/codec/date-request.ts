import { wallClockIn } from "./iso-date.ts";
import type { DateRequest, ValueOf } from "./types.ts";

type DateResponse = NonNullable<ValueOf<"date">["date"]>;

/**
 * The request date that puts back exactly this response date. With a `time_zone`, Notion wants
 * start and end as wall-clock times WITHOUT a UTC offset (an offset makes it drop the time zone),
 * so they are rewritten as the wall-clock time they show in that zone; without one, start and
 * end are sent as read. Never throws.
 */
export function dateRequest(date: DateResponse): DateRequest {
  const zone = date.time_zone;
  if (zone === null) return { start: date.start, end: date.end, time_zone: null };
  return {
    start: wallClockIn(date.start, zone) ?? date.start,
    end: date.end === null ? null : (wallClockIn(date.end, zone) ?? date.end),
    time_zone: zone,
  };
}
