/**
 * The README's "Command reference" read as data. Its convention: the section is the
 * `## Command reference` heading up to the next `## ` heading; its prose (around the table)
 * documents the options every command shares, and its table has one row per command whose first cell
 * names the command in code spans (`` `notion-mirror push [RUN-ID] [--dry-run]` ``; one row may name
 * two, as `runs` / `runs show`). A command's own section is its row: both cells.
 */
export interface CommandReference {
  /** The section's text outside its table: the options every command shares. */
  shared: string;
  /** Each command path ("sync pull") with the text of the row that names it. */
  rows: Map<string, string>;
}

const HEADING = "## Command reference";

/**
 * Reads the section out of `readme`, matching code spans to `commandPaths` (the longest path that
 * starts the span wins, so `runs show RUN-ID` is `runs show`, not `runs`). Throws when the heading
 * or its table is missing, or when a row names no known command: the convention broke, so each
 * option can no longer be looked for in its own row.
 */
export function readCommandReference(readme: string, commandPaths: string[][]): CommandReference {
  const start = readme.indexOf(`\n${HEADING}\n`);
  if (start < 0) throw new Error(`README has no "${HEADING}" heading`);
  const afterHeading = start + HEADING.length + 2;
  const next = readme.indexOf("\n## ", afterHeading);
  const section = readme.slice(afterHeading, next < 0 ? undefined : next);
  const lines = section.split("\n");
  const tableStart = lines.findIndex((line) => line.startsWith("| "));
  if (tableStart < 0) throw new Error(`README's "${HEADING}" has no table`);
  const afterTable = lines.findIndex((line, index) => index > tableStart && !line.startsWith("| "));
  const tableEnd = afterTable < 0 ? lines.length : afterTable;
  const shared = [...lines.slice(0, tableStart), ...lines.slice(tableEnd)].join("\n");
  const byLength = [...commandPaths].sort((a, b) => b.length - a.length);
  const rows = new Map<string, string>();
  for (const line of lines.slice(tableStart + 2, tableEnd)) {
    const firstCell = line.split(/(?<!\\)\|/)[1] ?? "";
    const named = [...firstCell.matchAll(/`([^`]+)`/g)].flatMap(([, span = ""]) => {
      const words = span.replace(/^notion-mirror /, "").split(" ");
      const path = byLength.find((candidate) =>
        candidate.every((name, index) => words[index] === name),
      );
      return path ? [path.join(" ")] : [];
    });
    if (named.length === 0) throw new Error(`README command row names no command: ${line}`);
    for (const path of named) rows.set(path, line);
  }
  return { shared, rows };
}

/** True when `text` holds `option` as a whole flag: `--host` is not found in `--hostname`. */
export function mentionsOption(text: string, option: string): boolean {
  return new RegExp(`${option}(?![\\w-])`).test(text);
}
