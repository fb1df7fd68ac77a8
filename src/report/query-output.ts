/**
 * How query rows are written for scripts and people: CSV (RFC 4180), JSON objects, table cells.
 * Pure functions of one row, so output can stream.
 */

import { jsonArrayValue } from "./json-columns.ts";

export const QUERY_FORMATS = ["table", "csv", "json", "ndjson"] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** A BLOB as an SQL hex literal (X'0A1B'), the one text form that says what it is. */
function blobText(value: Uint8Array): string {
  return `X'${Buffer.from(value).toString("hex").toUpperCase()}'`;
}

/** One CSV record per RFC 4180: fields quoted when they hold a comma, quote, CR or LF; CRLF end. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A value as text: numbers as JavaScript writes them, BLOBs as X'…', NULL as `nullText`. */
export function cellText(value: unknown, nullText = ""): string {
  if (value === null || value === undefined) return nullText;
  if (value instanceof Uint8Array) return blobText(value);
  return String(value);
}

/**
 * Column names made unique for JSON object keys: a repeated name gets `_2`, `_3` … (the first
 * keeps its name), so `SELECT a, a` loses nothing.
 */
export function uniqueKeys(columns: readonly string[]): string[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    let key = column;
    for (let n = 2; taken.has(key); n += 1) key = `${column}_${n}`;
    taken.add(key);
    return key;
  });
}

/**
 * One row as a JSON object text (keys from `uniqueKeys`): numbers as JSON numbers, the columns
 * flagged in `jsonColumns` as the arrays they hold (`jsonArrayValue`), BLOBs as X'…' strings.
 */
export function jsonRecord(
  keys: readonly string[],
  row: readonly unknown[],
  jsonColumns: readonly boolean[] = [],
): string {
  const record: Record<string, unknown> = {};
  keys.forEach((key, index) => {
    const value = row[index];
    record[key] =
      value instanceof Uint8Array
        ? blobText(value)
        : typeof value === "bigint"
          ? String(value)
          : jsonColumns[index]
            ? jsonArrayValue(value)
            : value;
  });
  return JSON.stringify(record);
}
