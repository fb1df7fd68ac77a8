import type { RichTextItemResponse } from "@notionhq/client";
import { dateKey } from "./iso-date.ts";
import { naturalValue } from "./natural-value.ts";
import { normalizeNotionId } from "./notion-id.ts";
import type { NaturalValue, PropertyValue, ValueOf } from "./types.ts";

type DateValue = ValueOf<"date">["date"];

function id(raw: string): string {
  return normalizeNotionId(raw) ?? raw;
}

function date(value: DateValue): NaturalValue {
  if (value === null) return null;
  return [dateKey(value.start), value.end === null ? null : dateKey(value.end), value.time_zone];
}

/** A hosted file's URL without its signature (the query string changes on every read). */
function unsigned(url: string): string {
  const at = url.indexOf("?");
  return at === -1 ? url : url.slice(0, at);
}

function richText(items: readonly RichTextItemResponse[]): NaturalValue {
  const out: NaturalValue[][] = [];
  for (const item of items) {
    const { bold, italic, strikethrough, underline, code, color } = item.annotations;
    const style = [bold, italic, strikethrough, underline, code, color];
    if (item.type === "text") {
      if (item.text.content === "") continue;
      const link = item.text.link?.url ?? null;
      const previous = out[out.length - 1];
      // Adjacent runs with the same link and style are one run however Notion splits them.
      if (previous?.[0] === "text" && previous[2] === link && sameJson(previous[3], style)) {
        previous[1] = `${String(previous[1])}${item.text.content}`;
        continue;
      }
      out.push(["text", item.text.content, link, style]);
    } else if (item.type === "equation") {
      out.push(["equation", item.equation.expression, style]);
    } else {
      out.push(["mention", mention(item.mention), style]);
    }
  }
  return out;
}

function mention(
  value: Extract<RichTextItemResponse, { type: "mention" }>["mention"],
): NaturalValue {
  switch (value.type) {
    case "user":
      return ["user", id(value.user.id)];
    case "page":
      return ["page", id(value.page.id)];
    case "database":
      return ["database", id(value.database.id)];
    case "date":
      return ["date", date(value.date)];
    case "template_mention":
      return ["template_mention", JSON.stringify(value.template_mention)];
    case "custom_emoji":
      return ["custom_emoji", id(value.custom_emoji.id)];
    case "link_preview":
      return ["link_preview", value.link_preview.url];
    case "link_mention":
      return ["link_mention", value.link_mention.href];
  }
}

/**
 * What a property value MEANS, as JSON: two values with equal canonical forms are the same value
 * for Notion's users. Rendering-only parts are left out: `plain_text`, `href`, full vs reference
 * user objects, option names and colours (the option id is the identity), the signature of a
 * hosted file's URL, a relation's `has_more`, how text is split into runs, how a date-time's
 * offset is written, and its seconds (Notion stores date-times to the minute). Order is kept
 * wherever Notion keeps it.
 */
export function canonicalValue(value: PropertyValue): NaturalValue {
  switch (value.type) {
    case "title":
      return richText(value.title);
    case "rich_text":
      return richText(value.rich_text);
    case "select":
      return value.select && id(value.select.id);
    case "status":
      return value.status && id(value.status.id);
    case "multi_select":
      return value.multi_select.map((option) => id(option.id));
    case "date":
      return date(value.date);
    case "people":
      return value.people.map((person) => id(person.id));
    case "relation":
      return value.relation.map((page) => id(page.id));
    case "files":
      return value.files.map((file) =>
        file.type === "external"
          ? ["external", file.name, file.external.url]
          : ["file", file.name, unsigned(file.file.url)],
      );
    case "created_by":
      return id(value.created_by.id);
    case "last_edited_by":
      return id(value.last_edited_by.id);
    case "verification": {
      const v = value.verification;
      if (v === null) return null;
      return [v.state, date(v.date), v.verified_by && id(v.verified_by.id)];
    }
    case "place": {
      const p = value.place;
      if (p === null) return null;
      const extra = [p.name, p.address, p.aws_place_id, p.google_place_id];
      return [p.lat, p.lon, ...extra.map((part) => part ?? null)];
    }
    default:
      return naturalValue(value);
  }
}

/** True when two JSON-able values serialise identically (canonical forms fix the key order). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
