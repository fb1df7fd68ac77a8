import { extname } from "node:path";
import { NotionMirrorError } from "../errors.ts";

export type ReviewFileFormat = "csv" | "json";

/** The byte-order mark that tells a spreadsheet a CSV file is UTF-8. */
export const EXCEL_UTF8 = "\uFEFF";

/** The format a file's name asks for: `.csv` or `.json`; a usage error otherwise. */
export function reviewFileFormat(path: string, flag: string): ReviewFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".json") return "json";
  throw new NotionMirrorError(
    "usage",
    `${flag} ${path}: the file name must end in .csv or .json (the format is taken from it).`,
    `Try: ${flag} proposals.csv`,
  );
}

/** The value a proposal puts, as the file carries it: text as it is, anything else as JSON. */
export function valueCell(naturalJson: string | null): string {
  const value = naturalJson === null ? null : (JSON.parse(naturalJson) as unknown);
  return typeof value === "string" ? value : JSON.stringify(value);
}
