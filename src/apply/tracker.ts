import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type { PageCreateProperties } from "../notion/codec/index.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { classifyFailure } from "../notion/failures.ts";

export interface TrackerEntry {
  title: string;
  runId: string;
  /** "Resolved" for a finished run; "In progress" when changes are pending. */
  status: "Resolved" | "In progress";
  recordsAffected: number;
  executionMode: string;
  notes: string;
  date: string;
}

const normal = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");
const STATUS_NAMES: Record<TrackerEntry["status"], string[]> = {
  Resolved: ["resolved", "done", "complete", "completed", "closed"],
  "In progress": ["in progress", "inprogress", "doing", "open"],
};

/**
 * Writes a run's entry in the tracker data source, the team's task-tracker habit automated:
 * the title, and each of Status, Records Affected, Execution Mode, Notes, Run ID and Date that
 * the tracker has (matched by name, case and spacing aside, and by type). Returns the new page's
 * id, or a sentence saying why no entry was written; never throws (the run itself is done).
 */
export async function writeTrackerEntry(
  api: NotionApi,
  trackerId: string,
  entry: TrackerEntry,
): Promise<{ ok: true; pageId: string } | { ok: false; reason: string }> {
  try {
    const tracker = await api.retrieveDataSource(trackerId, "reading the tracker's schema");
    const properties = trackerProperties(tracker, entry);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const page = await api.send("tracker", (client) =>
          client.pages.create({
            parent: { data_source_id: trackerId },
            properties,
          }),
        );
        return { ok: true, pageId: page.id };
      } catch (error) {
        const failure = classifyFailure(error, "writing the tracker entry");
        // A refusal (429, 529) was not applied: it is sent again after its Retry-After.
        if (failure.kind !== "refused" || attempt >= 5) {
          // Creating a page is not idempotent: a lost answer is not resent, to avoid a duplicate entry.
          return {
            ok: false,
            reason:
              failure.kind === "fatal"
                ? failure.error.message
                : failure.kind === "refused"
                  ? `Notion refused it ${attempt} times (last: ${failure.reason}); no entry was written`
                  : `the write's outcome is unknown (${failure.reason})`,
          };
        }
        await api.waitBeforeRetry(failure, attempt);
      }
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function trackerProperties(
  tracker: DataSourceObjectResponse,
  entry: TrackerEntry,
): PageCreateProperties {
  const out: PageCreateProperties = {};
  const text = (content: string) => [
    { type: "text" as const, text: { content: content.slice(0, 2000) } },
  ];
  for (const property of Object.values(tracker.properties)) {
    const name = normal(property.name);
    if (property.type === "title") out[property.id] = { title: text(entry.title) };
    else if (name === "status" && (property.type === "status" || property.type === "select")) {
      const options =
        property.type === "status" ? property.status.options : property.select.options;
      const wanted = STATUS_NAMES[entry.status];
      const option = options.find((candidate) => wanted.includes(candidate.name.toLowerCase()));
      if (option)
        out[property.id] =
          property.type === "status"
            ? { status: { id: option.id } }
            : { select: { id: option.id } };
    } else if (name === "recordsaffected" && property.type === "number")
      out[property.id] = { number: entry.recordsAffected };
    else if (name === "executionmode" && property.type === "select") {
      // Only an option the tracker has: writing an entry must not change the tracker's schema.
      const option = property.select.options.find(
        (candidate) => candidate.name.toLowerCase() === entry.executionMode.toLowerCase(),
      );
      if (option) out[property.id] = { select: { id: option.id } };
    } else if (name === "executionmode" && property.type === "rich_text")
      out[property.id] = { rich_text: text(entry.executionMode) };
    else if (name === "notes" && property.type === "rich_text")
      out[property.id] = { rich_text: text(entry.notes) };
    else if (name === "runid" && property.type === "rich_text")
      out[property.id] = { rich_text: text(entry.runId) };
    else if (name === "date" && property.type === "date")
      out[property.id] = { date: { start: entry.date } };
  }
  return out;
}
