import { userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import { dateValue, optionValue } from "../property-values.ts";
import { plainText, textItem } from "../rich-text.ts";

/** The run summaries written before WT-8.0.4, by the integration itself. */
const ENTRIES = [
  {
    runId: "WT-8.0.1",
    title: "Canonical database scan",
    mode: "Manual",
    records: 0,
    day: 22,
    notes: "Scanned 12 canonical databases, 105 records. No writes.",
  },
  {
    runId: "WT-8.0.2",
    title: "Canonical model export",
    mode: "Manual",
    records: 0,
    day: 24,
    notes: "Exported canonical-db-model.json with every property name and type.",
  },
  {
    runId: "WT-8.0.3",
    title: "Dry run: classify empty fields",
    mode: "Medium-Confidence",
    records: 0,
    day: 27,
    notes:
      "Phase status: 5 empty (high). Phase projectId: 33 empty (medium). Project projectID: 16 empty (medium).",
  },
] as const;

export function addTrackerEntries(ctx: DemoContext): void {
  const source = ctx.source("tracker");
  for (const entry of ENTRIES) {
    const created = july(entry.day, 17, 40);
    ctx.ws.addPage(source, {
      createdTime: created,
      lastEditedTime: later(created, 2),
      createdBy: userId(ctx.people.bot),
      lastEditedBy: userId(ctx.people.bot),
      values: {
        Task: [textItem(`${entry.runId} ${entry.title}`)],
        Status: optionValue(source.option("Status", "Resolved")),
        "Records Affected": entry.records,
        "Execution Mode": optionValue(source.option("Execution Mode", entry.mode)),
        Notes: plainText(entry.notes),
        "Run ID": plainText(entry.runId),
        Date: dateValue(`2025-07-${entry.day}`),
      },
    });
  }
}
