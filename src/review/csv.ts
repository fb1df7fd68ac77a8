/**
 * CSV as spreadsheets write it (RFC 4180): fields separated by commas (or, as a spreadsheet saves
 * it in locales whose decimal mark is a comma, by semicolons), quoted with "" when they hold a
 * separator, a quote or a line break, records ended by CRLF (LF accepted on reading).
 *
 * Every field is written spreadsheet-safe: one that a spreadsheet would run as a formula (it
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, which makes it
 * text; so is one that starts with `'` itself, so that reading drops exactly one leading `'` and a
 * round trip gives back every field as it was.
 */

/** The characters a spreadsheet reads a formula (or a DDE call) from, and the escape itself. */
const NEEDS_PREFIX = /^[=+\-@\t\r']/;

/** `value` as a spreadsheet shows it as text: `=1+1` → `'=1+1`; anything else as it is. */
export function spreadsheetSafe(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

/** The inverse of {@link spreadsheetSafe}: one leading `'` dropped. */
export function fromSpreadsheetSafe(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

function field(value: string): string {
  const safe = spreadsheetSafe(value);
  return /[",;\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows as CSV text, header first, every field spreadsheet-safe. */
export function writeCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/**
 * Parses CSV text into records (a leading byte-order mark, as spreadsheets save it, is dropped;
 * each field's spreadsheet-safe prefix too). Throws an Error naming the line of an unterminated
 * quoted field; blank lines are skipped.
 */
export function parseCsv(text: string, separator: "," | ";" = ","): string[][] {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let value = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endField = () => {
    record.push(fromSpreadsheetSafe(value));
    value = "";
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };
  for (let at = 0; at < input.length; at += 1) {
    const char = input[at];
    if (quoted) {
      if (char === '"') {
        if (input[at + 1] === '"') {
          value += '"';
          at += 1;
        } else quoted = false;
      } else {
        if (char === "\n") line += 1;
        value += char;
      }
      continue;
    }
    if (char === '"' && value === "") {
      quoted = true;
      quoteLine = line;
    } else if (char === separator) {
      endField();
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[at + 1] === "\n") at += 1;
      line += 1;
      endRecord();
    } else value += char;
  }
  if (quoted)
    throw new Error(
      `a quoted field opened on line ${quoteLine} is never closed (the file looks cut short)`,
    );
  if (value !== "" || record.length > 0) endRecord();
  return records;
}

/**
 * The separator of a proposals file, read from its header line: `,`, or `;` when only splitting
 * at semicolons gives a header naming `proposal` and `decision` (the file is then unambiguously
 * semicolon-separated). Undefined when neither does.
 */
export function detectSeparator(text: string): "," | ";" | undefined {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const headerLine = input.split(/\r?\n/, 1)[0] ?? "";
  const names = (separator: string) =>
    headerLine.split(separator).map((name) => name.trim().replace(/^"|"$/g, ""));
  const has = (separator: string) =>
    ["proposal", "decision"].every((name) => names(separator).includes(name));
  if (has(",")) return ",";
  if (has(";")) return ";";
  return undefined;
}
