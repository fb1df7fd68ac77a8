import type { JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { SchemaProperty } from "./property-lookup.ts";
import {
  plainText,
  readCheckbox,
  readDate,
  readFiles,
  readNumber,
  readOptionNames,
  readRelationIds,
  readText,
  readUsers,
  readVerificationState,
} from "./value-readers.ts";

/** A value pages are ordered by; null is empty, and empties sort last in both directions. */
export type SortKey = number | string | readonly number[] | null;

/**
 * Text collation like Notion's: case- and accent-aware but alphabetical first ("a" < "B"), and
 * numbers inside text compared by value ("Article 7" < "Article 10", as recorded from Notion).
 */
const collator = new Intl.Collator("en", { numeric: true });

export function compareKeys(a: Exclude<SortKey, null>, b: Exclude<SortKey, null>): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  if (typeof a === "object" && typeof b === "object") {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      const diff = (a[i] ?? 0) - (b[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return a.length - b.length;
  }
  return 0;
}

const textKey = (text: string): SortKey => (text === "" ? null : text);

/**
 * How a property's values are ordered: text by collation, select and status by the option order
 * of the schema, multi-select by its options' positions, dates by start, people by name,
 * checkboxes unchecked first. Types Notion cannot sort by (button, place…) give every page the
 * same key.
 */
export function sortKeyReader(
  property: SchemaProperty,
): (value: JsonObject | undefined) => SortKey {
  switch (property.type) {
    case "title":
    case "rich_text":
    case "url":
    case "email":
    case "phone_number":
      return (value) => textKey(readText(value));
    case "number":
    case "unique_id":
      return readNumber;
    case "checkbox":
      return (value) => (readCheckbox(value) ? 1 : 0);
    case "select":
    case "status": {
      const rank = optionRanks(property);
      return (value) => {
        const name = readOptionNames(value)[0];
        return name === undefined ? null : (rank.get(name) ?? rank.size);
      };
    }
    case "multi_select": {
      const rank = optionRanks(property);
      return (value) => {
        const names = readOptionNames(value);
        return names.length === 0 ? null : names.map((name) => rank.get(name) ?? rank.size);
      };
    }
    case "date":
    case "created_time":
    case "last_edited_time":
      return (value) => readDate(value)?.start ?? null;
    case "people":
    case "created_by":
    case "last_edited_by":
      return (value) => {
        const user = readUsers(value)[0];
        return user ? textKey(typeof user.name === "string" ? user.name : String(user.id)) : null;
      };
    case "relation":
      return (value) => textKey(readRelationIds(value)[0] ?? "");
    case "files":
      return (value) => textKey(String(readFiles(value)[0]?.name ?? ""));
    case "formula":
      return formulaKey;
    case "rollup":
      return rollupKey;
    case "verification":
      return (value) => ["verified", "expired", "none"].indexOf(readVerificationState(value));
    default:
      return () => null;
  }
}

function optionRanks(property: SchemaProperty): Map<string, number> {
  const config = property.config[property.type];
  const options = isObject(config) && isArray(config.options) ? config.options : [];
  const ranks = new Map<string, number>();
  options.forEach((option, index) => {
    if (isObject(option) && typeof option.name === "string") ranks.set(option.name, index);
  });
  return ranks;
}

function formulaKey(value: JsonObject | undefined): SortKey {
  const formula = value && isObject(value.formula) ? value.formula : undefined;
  switch (formula?.type) {
    case "string":
      return textKey(readText(value));
    case "number":
      return readNumber(value);
    case "boolean":
      return formula.boolean === null ? null : readCheckbox(value) ? 1 : 0;
    case "date":
      return readDate(value)?.start ?? null;
    default:
      return null;
  }
}

function rollupKey(value: JsonObject | undefined): SortKey {
  const rollup = value && isObject(value.rollup) ? value.rollup : undefined;
  if (rollup?.type === "number") return readNumber(value);
  if (rollup?.type === "date") return readDate(value)?.start ?? null;
  if (rollup?.type === "array" && isArray(rollup.array)) {
    const first = rollup.array.find(isObject);
    return first ? textKey(readText(first) || plainText(first[String(first.type)])) : null;
  }
  return null;
}
