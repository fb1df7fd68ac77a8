import type { JsonObject } from "../json.ts";
import { cloneJson } from "../json.ts";

/**
 * A user as Notion renders it inside a page (people, created_by, last_edited_by, user mentions):
 * the full user object, except that a bot's `bot` details are shown as `{}`.
 *
 * @example userAsPropertyValue(bot) // {object:"user", id, name, avatar_url, type:"bot", bot:{}}
 */
export function userAsPropertyValue(user: JsonObject): JsonObject {
  const copy = cloneJson(user);
  if (copy.type === "bot") copy.bot = {};
  return copy;
}
