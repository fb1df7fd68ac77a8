import type { JsonObject } from "../json.ts";
import { isObject } from "../json.ts";

/** A person user as `GET /v1/users/{id}` returns it. */
export function personUser(
  id: string,
  name: string,
  email: string,
  avatarUrl: string | null = null,
): JsonObject {
  return { object: "user", id, name, avatar_url: avatarUrl, type: "person", person: { email } };
}

/** The integration's bot user, owned by the workspace. */
export function botUser(id: string, name: string, workspaceName: string): JsonObject {
  return {
    object: "user",
    id,
    name,
    avatar_url: null,
    type: "bot",
    bot: { owner: { type: "workspace", workspace: true }, workspace_name: workspaceName },
  };
}

/** The `{object, id}` reference Notion puts in an object's top-level created_by / last_edited_by. */
export function userRef(id: string): JsonObject {
  return { object: "user", id };
}

/**
 * A user as a page property value (people, created_by, last_edited_by): a person in full, a bot
 * with an empty `bot` object (as the recorded fixtures show).
 */
export function userValue(user: JsonObject): JsonObject {
  if (user.type === "bot") {
    return {
      object: "user",
      id: user.id ?? null,
      name: user.name ?? null,
      avatar_url: user.avatar_url ?? null,
      type: "bot",
      bot: {},
    };
  }
  const email = isObject(user.person) ? user.person.email : undefined;
  return {
    object: "user",
    id: user.id ?? null,
    name: user.name ?? null,
    avatar_url: user.avatar_url ?? null,
    type: "person",
    person: email === undefined ? {} : { email },
  };
}
