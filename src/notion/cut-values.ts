import type { PageObjectResponse } from "./sdk-types.ts";

type PropertyValue = PageObjectResponse["properties"][string];

/**
 * Notion's page objects (GET page, query and search results, write answers) hold at most 25 page
 * or person references per property. Past that, a relation says `has_more: true`; a people list is
 * cut with no word; in a title or rich text the mentions of the 26th and later distinct pages or
 * people come back as "Untitled" / "Anonymous" or not at all. The property endpoint has them whole.
 */
export const PAGE_REFERENCE_LIMIT = 25;

/**
 * True when Notion may have cut this value in a page object, so only the property endpoint can
 * tell its whole content: a relation that says `has_more`, a people list of 25 or more, a title or
 * rich text mentioning 25 or more distinct pages, databases or people. (Exactly 25 counts: the
 * 26th may have been dropped without a trace.) Values below the limit are whole; asking for them
 * would cost a request each for nothing. A value `markWhole` marked is whole.
 */
export function mayBeCut(value: PropertyValue): boolean {
  if (completed.has(value)) return false;
  switch (value.type) {
    case "relation":
      return (value as { has_more?: unknown }).has_more === true;
    case "people":
      return value.people.length >= PAGE_REFERENCE_LIMIT;
    case "title":
      return distinctMentions(value.title) >= PAGE_REFERENCE_LIMIT;
    case "rich_text":
      return distinctMentions(value.rich_text) >= PAGE_REFERENCE_LIMIT;
    default:
      return false;
  }
}

/** Values completed from the property endpoint in this process: whole, whatever their length. */
const completed = new WeakSet<object>();

/** Marks a value as read whole from the property endpoint (see `completePage`). */
export function markWhole(value: PropertyValue): void {
  completed.add(value);
}

type RichText = Extract<PropertyValue, { type: "rich_text" }>["rich_text"];

function distinctMentions(items: RichText): number {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.type !== "mention") continue;
    const { mention } = item;
    if (mention.type === "user") ids.add(`user:${mention.user.id}`);
    else if (mention.type === "page") ids.add(`page:${mention.page.id}`);
    else if (mention.type === "database") ids.add(`database:${mention.database.id}`);
  }
  return ids.size;
}
