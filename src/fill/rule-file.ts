import { NotionMirrorError } from "../errors.ts";
import type { SqlStart } from "../mirror/read-only-sql.ts";
import { didYouMean, suggest } from "../util/suggest.ts";

export type Confidence = "high" | "medium" | "low";
export const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** A fill rule: one SELECT over the views proposing `value` for `target` on each `page_id`. */
export interface FillRule {
  name: string;
  file: string;
  /** `alias.property` as written in the header (property: view column or Notion name). */
  target: { alias: string; property: string };
  confidence: Confidence;
  description: string;
  /** May a select / multi_select value create an option (a schema change)? */
  allowNewOption: boolean;
  sql: string;
  /** Where `sql` starts in the file (1-based line and column), so SQL errors name the file's lines. */
  sqlStart: SqlStart;
}

const RULE_NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/;
const KEYS = ["rule", "target", "confidence", "description", "allow-new-option"] as const;
type HeaderKey = (typeof KEYS)[number];
const KEY_CANDIDATES = KEYS.map((key) => ({ names: [key], label: key }));

/** `-- key: value`, with the spaces between `--` and the key kept to compare indentation. */
const KEY_LINE = /^--(\s*)([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$/;

/**
 * Reads a rule file: a header of `-- key: value` lines, then the SQL.
 *
 * The header is every line before the first one that is neither blank nor a `--` comment. In
 * it, a line `-- key: value` with a known key sets that key; a key a typo away from a known one
 * (`-- confidance:`, `-- Target:`, `-- allow_new_option:`) is an error that names the key meant;
 * any other `--` line is a comment (`-- note: …` included). The description continues on the
 * lines right after it that start with `--` and are indented further than its own key (as in
 * `--   more text`), up to the first line that is not; `-- description:` given again adds to it.
 *
 * @example
 * -- rule: phase-status-active
 * -- target: wt_phase_database.status
 * -- confidence: high
 * -- description: A phase with no status is its project's current phase,
 * --              so it is Active.
 * SELECT page_id, 'Active' AS value FROM wt_phase_database WHERE status IS NULL
 *
 * Throws a usage error naming the file, the line and what is wrong.
 */
export function parseRuleFile(text: string, file: string, fallbackName: string): FillRule {
  const lines = text.split(/\r?\n/);
  const header = new Map<HeaderKey, string>();
  /** The line (0-based) each key was set on, for the errors about its value. */
  const keyLine = new Map<HeaderKey, number>();
  /** The indentation of the description line being continued, while it may continue. */
  let continuing: number | undefined;
  let line = 0;
  for (; line < lines.length; line += 1) {
    const raw = (lines[line] ?? "").trim();
    if (raw === "") {
      continuing = undefined;
      continue;
    }
    if (!raw.startsWith("--")) break;
    const indent = /^--(\s*)/.exec(raw)?.[1]?.length ?? 0;
    if (continuing !== undefined && indent > continuing && raw.slice(2).trim() !== "") {
      header.set("description", joinText(header.get("description"), raw.slice(2)));
      continue;
    }
    continuing = undefined;
    const match = KEY_LINE.exec(raw);
    if (!match) continue; // a plain comment
    const [, spaces = "", written = "", value = ""] = match;
    const key = KEYS.find((known) => known === written);
    if (!key) {
      const meant = suggest(written, KEY_CANDIDATES, { typosOnly: true });
      if (meant.length === 0) continue; // a comment that happens to hold a colon: "-- note: …"
      throw ruleError(
        file,
        line,
        `unknown header key "${written}": ${didYouMean(meant)} (the keys are ${KEYS.join(", ")})`,
      );
    }
    const earlier = header.get(key);
    if (earlier !== undefined && key !== "description") {
      throw ruleError(file, line, `"-- ${key}:" is given twice`);
    }
    keyLine.set(key, line);
    if (key === "description") {
      header.set(key, joinText(earlier, value));
      continuing = spaces.length;
    } else {
      header.set(key, value.trim());
    }
  }
  const body = lines.slice(line).join("\n");
  const sql = body.trim();
  if (!sql) throw ruleError(file, undefined, "no SQL after the header");
  const firstLine = lines[line] ?? "";

  const name = header.get("rule") ?? fallbackName;
  if (!RULE_NAME.test(name)) {
    throw ruleError(
      file,
      keyLine.get("rule"),
      `rule name "${name}" must be lowercase letters, digits, - and _`,
    );
  }
  const target = header.get("target");
  const targetMatch = target ? /^([a-z][a-z0-9_]*)\.(.+)$/.exec(target) : null;
  if (!targetMatch) {
    throw ruleError(
      file,
      keyLine.get("target"),
      `"-- target: alias.property" is required (got ${target ? JSON.stringify(target) : "none"})`,
    );
  }
  const confidence = header.get("confidence");
  if (confidence !== "high" && confidence !== "medium" && confidence !== "low") {
    throw ruleError(
      file,
      keyLine.get("confidence"),
      `"-- confidence:" must be high, medium or low (got ${confidence ? JSON.stringify(confidence) : "none"})`,
    );
  }
  const allow = (header.get("allow-new-option") ?? "no").toLowerCase();
  if (!["yes", "no", "true", "false"].includes(allow)) {
    throw ruleError(
      file,
      keyLine.get("allow-new-option"),
      `"-- allow-new-option:" must be yes or no (got ${JSON.stringify(allow)})`,
    );
  }
  return {
    name,
    file,
    target: { alias: targetMatch[1] ?? "", property: (targetMatch[2] ?? "").trim() },
    confidence,
    description: header.get("description") ?? "",
    allowNewOption: allow === "yes" || allow === "true",
    sql,
    sqlStart: { line: line + 1, column: firstLine.length - firstLine.trimStart().length + 1 },
  };
}

/** Two pieces of a description, one space between them. */
function joinText(earlier: string | undefined, more: string): string {
  const text = more.trim();
  if (earlier === undefined || earlier === "") return text;
  return text === "" ? earlier : `${earlier} ${text}`;
}

/** `line`: the 0-based index of the line at fault, if one is. */
function ruleError(file: string, line: number | undefined, message: string): NotionMirrorError {
  return new NotionMirrorError(
    "usage",
    `${file}${line !== undefined ? `:${line + 1}` : ""}: ${message}`,
    "A rule file starts with -- rule:, -- target: alias.property, -- confidence: high|medium|low, -- description:, then one SELECT returning page_id and value.",
  );
}
