import { compactId } from "../ids.ts";
import type { JsonObject } from "../json.ts";
import { userValue } from "./users.ts";

/** Notion's text colours (and `*_background`) as the API spells them. */
export type TextColor =
  | "default"
  | "gray"
  | "brown"
  | "orange"
  | "yellow"
  | "green"
  | "blue"
  | "purple"
  | "pink"
  | "red"
  | `${"gray" | "brown" | "orange" | "yellow" | "green" | "blue" | "purple" | "pink" | "red"}_background`;

export interface Annotations {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  code?: boolean;
  color?: TextColor;
}

/** The full annotations object Notion puts on every rich text item (all six keys). */
export function annotations(style: Annotations = {}): JsonObject {
  return {
    bold: style.bold ?? false,
    italic: style.italic ?? false,
    strikethrough: style.strikethrough ?? false,
    underline: style.underline ?? false,
    code: style.code ?? false,
    color: style.color ?? "default",
  };
}

/** A `text` rich text item; with `url` it is a link and `href` repeats the url. */
export function textItem(content: string, style?: Annotations, url?: string): JsonObject {
  return {
    type: "text",
    text: { content, link: url === undefined ? null : { url } },
    annotations: annotations(style),
    plain_text: content,
    href: url ?? null,
  };
}

/** A user mention: Notion embeds the full user object and renders `@Name`, with no href. */
export function userMentionItem(user: JsonObject, style?: Annotations): JsonObject {
  return {
    type: "mention",
    mention: { type: "user", user: userValue(user) },
    annotations: annotations(style),
    plain_text: `@${String(user.name)}`,
    href: null,
  };
}

/** A page mention: plain text is the page's title, href its compact notion.so address. */
export function pageMentionItem(pageId: string, title: string, style?: Annotations): JsonObject {
  return {
    type: "mention",
    mention: { type: "page", page: { id: pageId } },
    annotations: annotations(style),
    plain_text: title,
    href: `https://www.notion.so/${compactId(pageId)}`,
  };
}

/** One plain, unannotated text item in a list, or an empty list for empty text. */
export function plainText(content: string): JsonObject[] {
  return content === "" ? [] : [textItem(content)];
}

/** The concatenated plain text of a rich text list, as Notion shows it. */
export function plainTextOf(items: readonly JsonObject[]): string {
  return items.map((item) => String(item.plain_text)).join("");
}
