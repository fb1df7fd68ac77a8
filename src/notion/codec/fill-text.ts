import type { FillContext } from "./fill-context.ts";
import { expected, refuse, targetLabel } from "./fill-context.ts";
import { NOTION_LIMITS } from "./limits.ts";
import { splitText } from "./text-chunks.ts";
import type { PayloadResult, RichTextItemRequest } from "./types.ts";

const MAX_TEXT = NOTION_LIMITS.textContent * NOTION_LIMITS.richTextItems;

/**
 * title / rich_text from text (a finite number is written as its decimal text). Plain text
 * objects without annotations, split every 2000 characters; at most 100 objects, i.e. 200,000
 * characters. Text that is empty or only whitespace is refused: a fill must put a visible value.
 */
export function fillText(
  kind: "title" | "rich_text",
  natural: unknown,
  ctx: FillContext,
): PayloadResult {
  const text =
    typeof natural === "string"
      ? natural
      : typeof natural === "number" && Number.isFinite(natural)
        ? String(natural)
        : undefined;
  if (text === undefined || text.trim() === "") return expected(ctx, "non-empty text", natural);
  if (text.length > MAX_TEXT) {
    return refuse(
      `text of ${targetLabel(ctx)} is ${text.length} characters; Notion accepts at most ${MAX_TEXT} (${NOTION_LIMITS.richTextItems} text objects of ${NOTION_LIMITS.textContent})`,
    );
  }
  const items: RichTextItemRequest[] = splitText(text, NOTION_LIMITS.textContent).map(
    (content) => ({ type: "text", text: { content } }),
  );
  if (items.length > NOTION_LIMITS.richTextItems) {
    return refuse(
      `text of ${targetLabel(ctx)} needs ${items.length} text objects; Notion accepts at most ${NOTION_LIMITS.richTextItems}`,
    );
  }
  return { ok: true, payload: kind === "title" ? { title: items } : { rich_text: items } };
}
