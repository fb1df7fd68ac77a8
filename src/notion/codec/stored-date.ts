import type { IsoDate } from "./iso-date.ts";
import { formatIsoDate, isTimeZone, parseIsoDate, toMinute, wallClockIn } from "./iso-date.ts";
import type { ValueOf } from "./types.ts";

type DateResponse = NonNullable<ValueOf<"date">["date"]>;

/** A date as a request sent it: `{start, end?, time_zone?}`. */
interface SentDate {
  start?: unknown;
  end?: unknown;
  time_zone?: unknown;
}

/**
 * True when a date Notion answered is what it stores for a date that was sent: how a write whose
 * answer was lost is recognised on reading back. Notion keeps the minute (seconds are cut) and
 * renders a zoned time with the zone's offset and `time_zone: null`, so each bound is compared to
 * the minute, the way Notion reads what was sent:
 * - with a UTC offset, as an instant ("16:57:28.513Z" is stored as "16:57:00.000+00:00");
 * - as a wall-clock time beside a `time_zone`, by the wall-clock time the answer shows in that zone
 *   ("01:30:45" in Europe/Paris is stored as "01:30:00.000+01:00"; a time a DST change makes
 *   ambiguous matches either instant);
 * - without offset or zone (floating), as UTC, the way Notion reads it ("09:30:45" is stored as
 *   "09:30:00.000+00:00"); another offset is another instant, never taken for this write;
 * - a date without time, as a date.
 * A missing end matches only a missing end. Never throws.
 */
export function holdsSentDate(live: DateResponse, sent: SentDate): boolean {
  if (typeof sent.start !== "string") return false;
  const zone = typeof sent.time_zone === "string" ? sent.time_zone : null;
  const sentEnd = typeof sent.end === "string" ? sent.end : null;
  if (sent.end !== undefined && sent.end !== null && sentEnd === null) return false;
  if ((live.end === null) !== (sentEnd === null)) return false;
  const bound = (liveText: string, sentText: string) =>
    sameStoredBound(liveText, live.time_zone, sentText, zone);
  return (
    bound(live.start, sent.start) &&
    (live.end === null || sentEnd === null || bound(live.end, sentEnd))
  );
}

function sameStoredBound(
  liveText: string,
  liveZone: string | null,
  sentText: string,
  sentZone: string | null,
): boolean {
  const live = parseIsoDate(liveText);
  const sent = parseIsoDate(sentText);
  if (!live || !sent) return liveText === sentText;
  if (live.time === undefined || sent.time === undefined)
    return live.time === sent.time && live.date === sent.date;
  if (live.offset !== undefined && sent.offset !== undefined)
    return Date.parse(minuteText(live)) === Date.parse(minuteText(sent));
  const liveWall = live.offset === undefined ? liveZone : null;
  const sentWall = sent.offset === undefined ? sentZone : null;
  if (liveWall !== null && sentWall !== null && liveWall !== sentWall) return false;
  const zone = sentWall ?? liveWall;
  if (zone === null)
    return Date.parse(minuteText(inUtc(live))) === Date.parse(minuteText(inUtc(sent)));
  if (!isTimeZone(zone)) return false;
  const shown = shownIn(liveText, live, zone);
  return shown !== null && shown === shownIn(sentText, sent, zone);
}

/** The text of the parts cut to the minute. */
function minuteText(parts: IsoDate): string {
  return formatIsoDate(toMinute(parts));
}

/** A floating time read as UTC, as Notion reads a time sent without offset or zone. */
function inUtc(parts: IsoDate): IsoDate {
  return parts.offset === undefined ? { ...parts, offset: "+00:00" } : parts;
}

/** The minute a bound shows on a clock in `zone`: an instant converted, a wall-clock time as is. */
function shownIn(text: string, parts: IsoDate, zone: string): string | null {
  if (parts.offset === undefined) return minuteText(parts);
  const shown = wallClockIn(text, zone);
  const shownParts = shown === null ? null : parseIsoDate(shown);
  return shownParts ? minuteText(shownParts) : null;
}
