import type { RichTextItemResponse } from "@notionhq/client";
import { dateRequest } from "./date-request.ts";
import { NOTION_LIMITS } from "./limits.ts";
import { richTextItemRequest } from "./rich-text-request.ts";
import { splitText } from "./text-chunks.ts";
import type { PayloadResult, PropertyValue, RichTextItemRequest } from "./types.ts";
import { isWritableType } from "./writable-types.ts";

/**
 * The PATCH payload that puts back EXACTLY this API value (what revert sends), or why that is
 * impossible. Never throws.
 *
 * Kept exactly: rich text annotations, text links, equations and mentions (user, page, database,
 * date, template, custom emoji) by id; dates with end and time zone; multi_select, people and
 * relation order; external files with their names; place coordinates and labels. Empty values
 * are cleared the way Notion accepts: `null` for scalars, select, status, date and place, `[]`
 * for lists and text. A text object longer than Notion's 2000-character request limit is sent
 * as several consecutive objects with the same annotations and link (the same text in Notion's
 * terms; {@link valuesEqual} treats them as equal).
 *
 * select / status / multi_select options are sent by option ID, not by name: the id is the
 * option's identity and survives a rename, so a revert after someone renamed "Active" to "In
 * progress" puts back that same option (now shown under its new name) instead of creating a
 * second "Active" option (select, a schema change) or failing (status). An option deleted since
 * makes Notion refuse the write, which revert reports as a failure rather than re-creating it.
 *
 * Refused, with a reason: read-only types (formula, rollup, unique_id, created_*, last_edited_*,
 * button, verification); Notion-hosted files (their signed URLs cannot be re-sent); more than 100
 * items in a relation, people, multi_select or files value, or more than 100 rich text objects;
 * a relation still truncated by Notion (`has_more: true`); link preview / link mentions.
 *
 * @example restorePayload({ id: "a", type: "number", number: 3 }) // { ok: true, payload: { number: 3 } }
 */
export function restorePayload(value: PropertyValue): PayloadResult {
  if (!isWritableType(value.type)) {
    return { ok: false, reason: `a ${value.type} property is computed by Notion or read-only` };
  }
  switch (value.type) {
    case "title": {
      const items = richTextRequest(value.title);
      return Array.isArray(items) ? { ok: true, payload: { title: items } } : items;
    }
    case "rich_text": {
      const items = richTextRequest(value.rich_text);
      return Array.isArray(items) ? { ok: true, payload: { rich_text: items } } : items;
    }
    case "number":
      return { ok: true, payload: { number: value.number } };
    case "checkbox":
      return { ok: true, payload: { checkbox: value.checkbox } };
    case "url":
      return { ok: true, payload: { url: value.url } };
    case "email":
      return { ok: true, payload: { email: value.email } };
    case "phone_number":
      return { ok: true, payload: { phone_number: value.phone_number } };
    case "select":
      return { ok: true, payload: { select: value.select && { id: value.select.id } } };
    case "status":
      return { ok: true, payload: { status: value.status && { id: value.status.id } } };
    case "multi_select": {
      const tooMany = overLimit("multi_select options", value.multi_select.length);
      if (tooMany) return tooMany;
      return { ok: true, payload: { multi_select: value.multi_select.map(({ id }) => ({ id })) } };
    }
    case "date":
      return { ok: true, payload: { date: value.date && dateRequest(value.date) } };
    case "people": {
      const tooMany = overLimit("people", value.people.length);
      if (tooMany) return tooMany;
      const people = value.people.map((person) =>
        person.object === "group" ? { id: person.id, object: "group" as const } : { id: person.id },
      );
      return { ok: true, payload: { people } };
    }
    case "relation": {
      if ("has_more" in value && value.has_more === true) {
        return { ok: false, reason: "the relation is truncated (has_more); read it in full first" };
      }
      const tooMany = overLimit("related pages", value.relation.length);
      if (tooMany) return tooMany;
      return { ok: true, payload: { relation: value.relation.map(({ id }) => ({ id })) } };
    }
    case "files": {
      const tooMany = overLimit("files", value.files.length);
      if (tooMany) return tooMany;
      const hosted = value.files.find((file) => file.type === "file");
      if (hosted) {
        return {
          ok: false,
          reason: `"${hosted.name}" is a file hosted by Notion; the API cannot upload it again from its signed URL`,
        };
      }
      const files = value.files.flatMap((file) =>
        file.type === "external"
          ? [{ name: file.name, type: "external" as const, external: { url: file.external.url } }]
          : [],
      );
      return { ok: true, payload: { files } };
    }
    case "place":
      return { ok: true, payload: { place: value.place && { ...value.place } } };
    default:
      return { ok: false, reason: `a ${value.type} property cannot be written back` };
  }
}

function overLimit(what: string, count: number): PayloadResult | undefined {
  if (count <= NOTION_LIMITS.arrayItems) return undefined;
  return {
    ok: false,
    reason: `${count} ${what} is more than the ${NOTION_LIMITS.arrayItems} Notion accepts in one write`,
  };
}

function richTextRequest(
  items: readonly RichTextItemResponse[],
): RichTextItemRequest[] | { ok: false; reason: string } {
  const out: RichTextItemRequest[] = [];
  for (const item of items) {
    const converted = richTextItemRequest(item);
    if (!converted.ok) return converted;
    const request = converted.item;
    if (request.type === "text" && "text" in request) {
      const pieces = splitText(request.text.content, NOTION_LIMITS.textContent);
      if (pieces.length > 1) {
        for (const content of pieces) out.push({ ...request, text: { ...request.text, content } });
        continue;
      }
    }
    out.push(request);
  }
  if (out.length > NOTION_LIMITS.richTextItems) {
    return {
      ok: false,
      reason: `${out.length} rich text objects is more than the ${NOTION_LIMITS.richTextItems} Notion accepts in one write`,
    };
  }
  return out;
}
