import { bodyValidationError, validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import { annotationsFromInput } from "./annotations-input.ts";
import type { RichTextLookups } from "./write-context.ts";
import { mentionFromInput } from "./mention-input.ts";
import {
  INVALID_LINK_MESSAGE,
  fixOneError,
  notAString,
  notAnArray,
  notAnObject,
  oneOfExpectation,
  tooLong,
} from "./messages.ts";
import { LIMITS } from "./property-limits.ts";

const KINDS = ["text", "mention", "equation"] as const;
type Kind = (typeof KINDS)[number];

function itemKind(item: JsonObject, path: string): Kind {
  if (item.type !== undefined) {
    const kind = KINDS.find((candidate) => candidate === item.type);
    if (kind === undefined)
      throw bodyValidationError(`${path}.type`, oneOfExpectation(KINDS), item.type);
    if (item[kind] === undefined) throw notAnObject(`${path}.${kind}`, undefined);
    return kind;
  }
  const kind = KINDS.find((candidate) => item[candidate] !== undefined);
  if (kind === undefined) throw fixOneError(path, KINDS);
  return kind;
}

function linkFromInput(raw: Json | undefined, path: string): Json {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw notAnObject(path, raw);
  const url = raw.url;
  if (typeof url !== "string") throw notAString(`${path}.url`, url);
  if (url.length > LIMITS.linkUrl) throw tooLong(`${path}.url`, LIMITS.linkUrl, url.length);
  if (!URL.canParse(url)) throw validationError(INVALID_LINK_MESSAGE);
  return { url };
}

function textItem(item: JsonObject, path: string): { body: JsonObject; plain: string; href: Json } {
  const text = item.text;
  if (!isObject(text)) throw notAnObject(`${path}.text`, text);
  const content = text.content;
  if (typeof content !== "string") throw notAString(`${path}.text.content`, content);
  if (content.length > LIMITS.textContent) {
    throw tooLong(`${path}.text.content`, LIMITS.textContent, content.length);
  }
  const link = linkFromInput(text.link, `${path}.text.link`);
  const href = isObject(link) ? (link.url ?? null) : null;
  return { body: { content, link }, plain: content, href };
}

function equationItem(item: JsonObject, path: string): { body: JsonObject; plain: string } {
  const equation = item.equation;
  if (!isObject(equation)) throw notAnObject(`${path}.equation`, equation);
  const expression = equation.expression;
  if (typeof expression !== "string") throw notAString(`${path}.equation.expression`, expression);
  if (expression.length > LIMITS.equationExpression) {
    throw tooLong(`${path}.equation.expression`, LIMITS.equationExpression, expression.length);
  }
  return { body: { expression }, plain: expression };
}

function richTextItem(raw: Json, path: string, ctx: RichTextLookups): JsonObject {
  if (!isObject(raw)) throw notAnObject(path, raw);
  const kind = itemKind(raw, path);
  let item: JsonObject;
  if (kind === "text") {
    const { body, plain, href } = textItem(raw, path);
    item = { type: "text", text: body, annotations: {}, plain_text: plain, href };
  } else if (kind === "equation") {
    const { body, plain } = equationItem(raw, path);
    item = { type: "equation", equation: body, annotations: {}, plain_text: plain, href: null };
  } else {
    const { mention, plainText, href } = mentionFromInput(raw.mention, `${path}.mention`, ctx);
    item = { type: "mention", mention, annotations: {}, plain_text: plainText, href };
  }
  item.annotations = annotationsFromInput(raw.annotations, `${path}.annotations`);
  return item;
}

/**
 * A request rich text array (title / rich_text values) → Notion's response items: `type`, the
 * type's body, full `annotations`, `plain_text` and `href`. `path` is the request path used in
 * error messages, without the leading "body." (e.g. "properties.Name.title").
 *
 * Throws 400 validation_error on a bad shape, more than 100 items, text.content over 2000
 * characters, an invalid link URL or a mention of something unknown. `[]` is valid (clears).
 *
 * @example richTextFromInput([{ text: { content: "Hi" } }], "properties.Name.title", ctx)
 *   // [{type:"text", text:{content:"Hi", link:null}, annotations:{…}, plain_text:"Hi", href:null}]
 */
export function richTextFromInput(
  items: Json | undefined,
  path: string,
  ctx: RichTextLookups,
): JsonObject[] {
  if (!isArray(items)) throw notAnArray(path, items);
  if (items.length > LIMITS.richTextItems) throw tooLong(path, LIMITS.richTextItems, items.length);
  return items.map((item, index) => richTextItem(item, `${path}[${index}]`, ctx));
}
