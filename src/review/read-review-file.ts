import { readFileSync } from "node:fs";
import { NotionMirrorError } from "../errors.ts";
import { detectSeparator, parseCsv } from "./csv.ts";
import type { ReviewFileFormat } from "./review-file-format.ts";
import { EXCEL_UTF8 } from "./review-file-format.ts";

/** One row of an imported file: its line or position for messages, and its cells. */
export interface ImportedRow {
  where: string;
  cells: Record<string, unknown>;
}

/** A proposals file read: its rows, the run it names (JSON), and a CSV file's separator. */
export interface ReviewFile {
  rows: ImportedRow[];
  run?: string;
  separator: "," | ";";
}

/**
 * Reads a decided proposals file. A CSV file may be comma- or semicolon-separated (as a
 * spreadsheet saves it in locales whose decimal mark is a comma): the header line says which,
 * unambiguously, or the file is refused. A CSV row with another number of cells than the header
 * (a file cut short, a cell that lost its quotes) is refused. Throws usage errors naming what is
 * wrong and what to do; never returns part of a file.
 */
export function readReviewFile(path: string, format: ReviewFileFormat): ReviewFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new NotionMirrorError(
      "usage",
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      "Try: --import with the file --export wrote (and people decided).",
    );
  }
  const bad = (why: string, hint?: string) =>
    new NotionMirrorError(
      "usage",
      `${path} is not a proposals file: ${why}. Nothing was imported.`,
      hint ??
        "Try: notion-mirror review RUN --export FILE, and import the file it writes once decided.",
    );
  if (format === "json") {
    let parsed: unknown;
    try {
      // A byte-order mark, as some editors save one, is not part of the JSON.
      parsed = JSON.parse(text.startsWith(EXCEL_UTF8) ? text.slice(1) : text) as unknown;
    } catch (error) {
      throw bad(`it is not valid JSON (${(error as Error).message})`);
    }
    const object =
      parsed && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as { proposals?: unknown; run?: unknown })
        : undefined;
    const list = Array.isArray(parsed)
      ? (parsed as unknown[])
      : Array.isArray(object?.proposals)
        ? (object.proposals as unknown[])
        : undefined;
    if (!list) throw bad('it holds neither a list of proposals nor an object with "proposals"');
    const rows = list.map((item, index) => {
      if (!item || typeof item !== "object" || Array.isArray(item))
        throw bad(`proposals[${index}] is not an object`);
      return { where: `proposals[${index}]`, cells: item as Record<string, unknown> };
    });
    return typeof object?.run === "string"
      ? { rows, run: object.run, separator: "," }
      : { rows, separator: "," };
  }
  if (text.replace(EXCEL_UTF8, "").trim() === "") throw bad("it is empty");
  const separator = detectSeparator(text);
  if (!separator)
    throw bad(
      'its first line is not a header naming the "proposal" and "decision" columns (separated by commas, or by semicolons)',
      "Try: import the file --export wrote, saved as CSV with its header row kept (or export it again).",
    );
  let records: string[][];
  try {
    records = parseCsv(text, separator);
  } catch (error) {
    throw bad(
      (error as Error).message,
      "Try: save the file whole again from the spreadsheet (or export it again), then import it.",
    );
  }
  const [header = [], ...body] = records;
  const rows: ImportedRow[] = [];
  for (const [index, record] of body.entries()) {
    const line = index + 2;
    if (record.length !== header.length)
      throw bad(
        `row ${line} has ${record.length} cell${record.length === 1 ? "" : "s"} where the header has ${header.length} (the file looks cut short, or a cell holding "${separator}" lost its quotes)`,
        "Try: save the file whole again from the spreadsheet (or export it again), then import it.",
      );
    rows.push({
      where: `row ${line}`,
      cells: Object.fromEntries(header.map((column, at) => [column, record[at] ?? ""])),
    });
  }
  return { rows, separator };
}
