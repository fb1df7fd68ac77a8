import { bodyValidationError, validationError } from "../errors.ts";
import { compactId, normalizeId } from "../ids.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { RichTextLookups } from "./write-context.ts";
import { dateFromInput, datePlainText } from "./date-input.ts";
import { fixOneError, notAUuid, notAnObject } from "./messages.ts";
import { userAsPropertyValue } from "./user-values.ts";

const MENTION_KINDS = ["user", "date", "page", "database", "template_mention", "custom_emoji"];

/** A mention in response form plus the text Notion shows for it. */
export interface RenderedMention {
  mention: JsonObject;
  plainText: string;
  href: Json;
}

function mentionKind(raw: JsonObject, path: string): string {
  if (typeof raw.type === "string") {
    if (!MENTION_KINDS.includes(raw.type)) throw fixOneError(path, MENTION_KINDS);
    return raw.type;
  }
  const kind = MENTION_KINDS.find((candidate) => raw[candidate] !== undefined);
  if (kind === undefined) throw fixOneError(path, MENTION_KINDS);
  return kind;
}

function referencedId(raw: Json | undefined, path: string): string {
  if (!isObject(raw)) throw notAnObject(path, raw);
  const id = typeof raw.id === "string" ? normalizeId(raw.id) : null;
  if (id === null) throw notAUuid(`${path}.id`, raw.id);
  return id;
}

/** The plain text of a title-like rich text array. */
function plainTextOf(items: Json | undefined): string {
  if (!isArray(items)) return "";
  return items.map((item) => (isObject(item) ? String(item.plain_text ?? "") : "")).join("");
}

/** A page's title as plain text ("Untitled" when empty), whatever its title property is named. */
export function pageTitle(page: JsonObject): string {
  const properties = isObject(page.properties) ? page.properties : {};
  for (const value of Object.values(properties)) {
    if (isObject(value) && value.type === "title") return plainTextOf(value.title) || "Untitled";
  }
  return "Untitled";
}

/**
 * A request mention (`{user:{id}}`, `{page:{id}}`, `{database:{id}}`, `{date:{…}}`) in response
 * form: users expanded to the full user object ("@Name"), pages and databases shown by title with
 * their notion.so URL as href. Unknown users, pages and databases are refused (400), as are
 * template_mention and custom_emoji, which the emulator does not model.
 */
export function mentionFromInput(
  raw: Json | undefined,
  path: string,
  ctx: RichTextLookups,
): RenderedMention {
  if (!isObject(raw)) throw notAnObject(path, raw);
  const kind = mentionKind(raw, path);
  const body = raw[kind];
  switch (kind) {
    case "user": {
      const id = referencedId(body, `${path}.user`);
      const user = ctx.findUser(id);
      if (!user) throw validationError(`Could not find user with ID: ${id}.`);
      const name = typeof user.name === "string" ? user.name : "Anonymous";
      return {
        mention: { type: "user", user: userAsPropertyValue(user) },
        plainText: `@${name}`,
        href: null,
      };
    }
    case "page": {
      const id = referencedId(body, `${path}.page`);
      const page = ctx.findPage(id);
      if (!page) throw validationError(`Could not find page with ID: ${id}.`);
      return {
        mention: { type: "page", page: { id } },
        plainText: pageTitle(page),
        href: `https://www.notion.so/${compactId(id)}`,
      };
    }
    case "database": {
      const id = referencedId(body, `${path}.database`);
      const database = ctx.findDatabase?.(id);
      if (!database) throw validationError(`Could not find database with ID: ${id}.`);
      return {
        mention: { type: "database", database: { id } },
        plainText: plainTextOf(database.title) || "Untitled",
        href: `https://www.notion.so/${compactId(id)}`,
      };
    }
    case "date": {
      if (body === null) throw bodyValidationError(`${path}.date`, "should be an object", body);
      const date = dateFromInput(body, `${path}.date`);
      return { mention: { type: "date", date }, plainText: datePlainText(date), href: null };
    }
    default:
      throw validationError(
        `body failed validation: body.${path}.${kind} is not supported by the notion-mirror emulator.`,
      );
  }
}
