import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { FillRule } from "./rule-file.ts";
import { parseRuleFile } from "./rule-file.ts";

/**
 * The rules in the rules folder (`*.sql`, in name order), or only those named (by rule name or
 * file name). Throws a usage error for a missing folder, an unknown name or two rules sharing a name.
 */
export function loadRules(dir: string, names: readonly string[] = []): FillRule[] {
  if (!existsSync(dir)) {
    throw new NotionMirrorError(
      "usage",
      `No fill rules folder at ${dir}.`,
      "Create it and add one .sql file per rule (see the README: writing a fill rule).",
    );
  }
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort();
  const rules = files.map((file) =>
    parseRuleFile(readFileSync(join(dir, file), "utf8"), join(dir, file), basename(file, ".sql")),
  );
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const other = seen.get(rule.name);
    if (other)
      throw new NotionMirrorError(
        "usage",
        `Two rules are named "${rule.name}": ${other} and ${rule.file}.`,
      );
    seen.set(rule.name, rule.file);
  }
  if (names.length === 0) {
    if (rules.length === 0) throw new NotionMirrorError("usage", `No .sql rules in ${dir}.`);
    return rules;
  }
  return names.map((wanted) => {
    const found = rules.find(
      (rule) =>
        rule.name === wanted ||
        basename(rule.file) === wanted ||
        basename(rule.file, ".sql") === wanted,
    );
    if (!found) {
      throw new NotionMirrorError(
        "usage",
        `No rule named "${wanted}" in ${dir}.`,
        `Try one of: ${rules.map((rule) => rule.name).join(", ")}`,
      );
    }
    return found;
  });
}
