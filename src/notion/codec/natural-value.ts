import type { RichTextItemResponse } from "@notionhq/client";
import type { NaturalValue, PropertyContent, ValueOf } from "./types.ts";

type DateValue = ValueOf<"date">["date"];

/**
 * A date as people read it: the start text when that is all there is, else
 * `{start, end, time_zone}`. Null for no date.
 */
export function naturalDate(date: DateValue): NaturalValue {
  if (date === null) return null;
  if (date.end === null && date.time_zone === null) return date.start;
  return { start: date.start, end: date.end, time_zone: date.time_zone };
}

/** The text as Notion shows it: the items' `plain_text` joined. */
export function plainText(items: readonly RichTextItemResponse[]): string {
  return items.map((item) => item.plain_text).join("");
}

function textOrNull(items: readonly RichTextItemResponse[]): string | null {
  const text = plainText(items);
  return text === "" ? null : text;
}

function listOrNull(list: NaturalValue[]): NaturalValue[] | null {
  return list.length === 0 ? null : list;
}

/**
 * The NATURAL form of a property value: what a SQL view column shows and what a fill rule
 * returns. JSON-able; `null` for every empty value (so `IS NULL` finds empty fields of any type),
 * and never null for a checkbox.
 *
 * - number → number; checkbox → boolean; url / email / phone_number → string
 * - title / rich_text → plain text (mentions as Notion renders them, e.g. "@Ada")
 * - select / status → option name; multi_select → option names, in order
 * - date → start text, or `{start, end, time_zone}` when there is an end or a time zone
 * - people → user (or group) ids; relation → page ids; both in order
 * - files → external URL, or the name for a Notion-hosted file (its URL is signed and expires
 *   within the hour, so it would make every pull look like a change)
 * - formula → its value; rollup → number, date, or array of natural values
 * - unique_id → "PREFIX-N", or N without prefix; created_time / last_edited_time → ISO text;
 *   created_by / last_edited_by → user id; verification → its state ("verified", …)
 * - place → `{lat, lon, name, address}`; button → null (it holds no value)
 *
 * Never throws.
 *
 * @example naturalValue({ id: "x", type: "select", select: { id: "1", name: "Active", color: "green" } }) // "Active"
 */
export function naturalValue(value: PropertyContent): NaturalValue {
  switch (value.type) {
    case "title":
      return textOrNull(value.title);
    case "rich_text":
      return textOrNull(value.rich_text);
    case "number":
      return value.number;
    case "checkbox":
      return value.checkbox;
    case "url":
      return value.url;
    case "email":
      return value.email;
    case "phone_number":
      return value.phone_number;
    case "select":
      return value.select?.name ?? null;
    case "status":
      return value.status?.name ?? null;
    case "multi_select":
      return listOrNull(value.multi_select.map((option) => option.name));
    case "date":
      return naturalDate(value.date);
    case "people":
      return listOrNull(value.people.map((person) => person.id));
    case "relation":
      return listOrNull(value.relation.map((page) => page.id));
    case "files":
      return listOrNull(
        value.files.map((file) => (file.type === "external" ? file.external.url : file.name)),
      );
    case "created_time":
      return value.created_time;
    case "last_edited_time":
      return value.last_edited_time;
    case "created_by":
      return value.created_by.id;
    case "last_edited_by":
      return value.last_edited_by.id;
    case "unique_id": {
      const { prefix, number } = value.unique_id;
      if (number === null) return null;
      return prefix ? `${prefix}-${number}` : number;
    }
    case "formula":
      return naturalFormula(value.formula);
    case "rollup":
      return naturalRollup(value.rollup);
    case "verification":
      return value.verification?.state ?? null;
    case "place":
      return value.place === null
        ? null
        : {
            lat: value.place.lat,
            lon: value.place.lon,
            name: value.place.name ?? null,
            address: value.place.address ?? null,
          };
    case "button":
      return null;
  }
}

function naturalFormula(formula: ValueOf<"formula">["formula"]): NaturalValue {
  switch (formula.type) {
    case "string":
      return formula.string;
    case "number":
      return formula.number;
    case "boolean":
      return formula.boolean;
    case "date":
      return naturalDate(formula.date);
    case "unsupported":
      return null;
  }
}

function naturalRollup(rollup: ValueOf<"rollup">["rollup"]): NaturalValue {
  switch (rollup.type) {
    case "number":
      return rollup.number;
    case "date":
      return naturalDate(rollup.date);
    case "array":
      return listOrNull(rollup.array.map((item) => naturalValue(item)));
    case "unsupported":
      return null;
  }
}
