/**
 * CSV as spreadsheets write it (RFC 4180): fields separated by commas, quoted with "" when they
 * hold a comma, a quote or a line break, records ended by CRLF (LF accepted on reading).
 */

function field(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

/** The rows as CSV text, header first. */
export function writeCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/**
 * Parses CSV text into records (a leading byte-order mark, as spreadsheets save it, is dropped).
 * Throws an Error naming the line of an unterminated quoted field; blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let value = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endRecord = () => {
    record.push(value);
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
    value = "";
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
    } else if (char === ",") {
      record.push(value);
      value = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[at + 1] === "\n") at += 1;
      line += 1;
      endRecord();
    } else value += char;
  }
  if (quoted) throw new Error(`a quoted field opened on line ${quoteLine} is never closed`);
  if (value !== "" || record.length > 0) endRecord();
  return records;
}
