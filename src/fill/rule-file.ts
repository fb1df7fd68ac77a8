import { NotionMirrorError } from "../errors.ts";

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
}

const RULE_NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/;
const KEYS = new Set(["rule", "target", "confidence", "description", "allow-new-option"]);

/**
 * Reads a rule file: a header of `-- key: value` lines, then the SQL.
 *
 * @example
 * -- rule: phase-status-active
 * -- target: wt_phase_database.status
 * -- confidence: high
 * -- description: A phase with no status is active.
 * SELECT page_id, 'Active' AS value FROM wt_phase_database WHERE status IS NULL
 *
 * Throws a usage error naming the file, the line and what is wrong.
 */
export function parseRuleFile(text: string, file: string, fallbackName: string): FillRule {
  const lines = text.split(/\r?\n/);
  const header = new Map<string, string>();
  let line = 0;
  for (; line < lines.length; line += 1) {
    const raw = (lines[line] ?? "").trim();
    if (raw === "") continue;
    if (!raw.startsWith("--")) break;
    const match = /^--\s*([a-z-]+)\s*:\s*(.*)$/.exec(raw);
    if (!match) continue; // a plain comment
    const [, key = "", value = ""] = match;
    if (!KEYS.has(key)) {
      throw ruleError(file, line, `unknown header key "${key}" (known: ${[...KEYS].join(", ")})`);
    }
    const earlier = header.get(key);
    if (earlier !== undefined && key !== "description") {
      throw ruleError(file, line, `"-- ${key}:" is given twice`);
    }
    header.set(key, earlier !== undefined ? `${earlier} ${value.trim()}` : value.trim());
  }
  const sql = lines.slice(line).join("\n").trim();
  if (!sql) throw ruleError(file, line, "no SQL after the header");

  const name = header.get("rule") ?? fallbackName;
  if (!RULE_NAME.test(name)) {
    throw ruleError(file, 0, `rule name "${name}" must be lowercase letters, digits, - and _`);
  }
  const target = header.get("target");
  const targetMatch = target ? /^([a-z][a-z0-9_]*)\.(.+)$/.exec(target) : null;
  if (!targetMatch) {
    throw ruleError(
      file,
      0,
      `"-- target: alias.property" is required (got ${target ? JSON.stringify(target) : "none"})`,
    );
  }
  const confidence = header.get("confidence");
  if (confidence !== "high" && confidence !== "medium" && confidence !== "low") {
    throw ruleError(
      file,
      0,
      `"-- confidence:" must be high, medium or low (got ${confidence ? JSON.stringify(confidence) : "none"})`,
    );
  }
  const allow = (header.get("allow-new-option") ?? "no").toLowerCase();
  if (!["yes", "no", "true", "false"].includes(allow)) {
    throw ruleError(
      file,
      0,
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
  };
}

function ruleError(file: string, line: number, message: string): NotionMirrorError {
  return new NotionMirrorError(
    "usage",
    `${file}${line > 0 ? `:${line + 1}` : ""}: ${message}`,
    "A rule file starts with -- rule:, -- target: alias.property, -- confidence: high|medium|low, -- description:, then one SELECT returning page_id and value.",
  );
}
