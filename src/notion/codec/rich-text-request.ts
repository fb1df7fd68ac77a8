import type { RichTextItemResponse } from "@notionhq/client";
import { dateRequest } from "./date-request.ts";
import type { RichTextItemRequest } from "./types.ts";

/** A request item, or why the response item cannot be sent back as it is. */
export type RichTextItemResult =
  { ok: true; item: RichTextItemRequest } | { ok: false; reason: string };

type Mention = Extract<RichTextItemResponse, { type: "mention" }>["mention"];
type MentionRequest = Extract<RichTextItemRequest, { mention: unknown }>["mention"];

/**
 * The request item that re-creates this response item exactly: all annotations, the text's
 * link, the equation's expression, the mention's target (user, page, database, date with its
 * time zone, template mention, custom emoji) by id. `plain_text` and `href` are rendered by
 * Notion and not sent. Link previews and link mentions cannot be created through the API and are
 * reported, not approximated. Never throws.
 */
export function richTextItemRequest(item: RichTextItemResponse): RichTextItemResult {
  const { bold, italic, strikethrough, underline, code, color } = item.annotations;
  const annotations = { bold, italic, strikethrough, underline, code, color };
  switch (item.type) {
    case "text":
      return {
        ok: true,
        item: {
          type: "text",
          text: {
            content: item.text.content,
            link: item.text.link === null ? null : { url: item.text.link.url },
          },
          annotations,
        },
      };
    case "equation":
      return {
        ok: true,
        item: { type: "equation", equation: { expression: item.equation.expression }, annotations },
      };
    case "mention": {
      const mention = mentionRequest(item.mention);
      if (typeof mention === "string") return { ok: false, reason: mention };
      return { ok: true, item: { type: "mention", mention, annotations } };
    }
  }
}

function mentionRequest(mention: Mention): MentionRequest | string {
  switch (mention.type) {
    case "user":
      return { type: "user", user: { id: mention.user.id } };
    case "page":
      return { type: "page", page: { id: mention.page.id } };
    case "database":
      return { type: "database", database: { id: mention.database.id } };
    case "date":
      return { type: "date", date: dateRequest(mention.date) };
    case "template_mention":
      return { type: "template_mention", template_mention: mention.template_mention };
    case "custom_emoji":
      return { type: "custom_emoji", custom_emoji: { id: mention.custom_emoji.id } };
    case "link_preview":
      return `a link preview mention (${mention.link_preview.url}) cannot be re-created through the Notion API`;
    case "link_mention":
      return `a link mention (${mention.link_mention.href}) cannot be re-created through the Notion API`;
  }
}
