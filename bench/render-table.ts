import Table from "cli-table3";
import type { Row } from "./rows.ts";

/** The bench's one table, plain text (no colour) so it pastes into a note as is. */
export function renderTable(rows: readonly Row[]): string {
  const table = new Table({
    head: ["Scenario", "Figure", "Measured", "Bound / baseline", "Ratio", "Goal", "Verdict"],
    style: { head: [], border: [], compact: true },
  });
  let previous = "";
  for (const item of rows) {
    // A scenario's label once, on its first row: the rows below it belong to it.
    table.push([
      item.scenario === previous ? "" : item.scenario,
      item.figure,
      item.measured,
      item.bound,
      item.ratio,
      item.goal,
      item.verdict,
    ]);
    previous = item.scenario;
  }
  return table.toString();
}
