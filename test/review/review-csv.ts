import { readFileSync, writeFileSync } from "node:fs";
import { parseCsv, writeCsv } from "../../src/review/csv.ts";

/** A review CSV as records keyed by column, with its header. */
export interface CsvRows {
  header: string[];
  rows: Array<Record<string, string>>;
}

/** Reads an exported review CSV as records keyed by column. */
export function readCsv(path: string): CsvRows {
  const [header = [], ...body] = parseCsv(readFileSync(path, "utf8"));
  return {
    header,
    rows: body.map((record) =>
      Object.fromEntries(header.map((column, at) => [column, record[at] ?? ""])),
    ),
  };
}

/** Writes records back as a review CSV, columns in `header`'s order. */
export function writeRows(
  path: string,
  header: string[],
  rows: Array<Record<string, string>>,
): void {
  writeFileSync(
    path,
    writeCsv(
      header,
      rows.map((row) => header.map((column) => row[column] ?? "")),
    ),
  );
}
