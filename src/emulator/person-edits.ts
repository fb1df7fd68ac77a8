import { isoMinute } from "./clock.ts";
import { validationError } from "./errors.ts";
import type { PersonEdit } from "./faults.ts";
import type { JsonObject } from "./json.ts";
import { cloneJson } from "./json.ts";
import { updatePage } from "./page-writes.ts";
import type { Workspace } from "./workspace.ts";

/**
 * Applies an edit as if a person made it in Notion's UI: same validation as the API, but stamped
 * with the person's user as last_edited_by — and, when asked, stamped in the past (`backdateMs`)
 * or kept out of query results for a while (`visibleAfterMs`, see QueryIndex). Used by `mutate`
 * faults and by tests.
 */
export function editAsPerson(workspace: Workspace, edit: PersonEdit): JsonObject {
  const person = edit.userId
    ? workspace.users.get(edit.userId)
    : [...workspace.users.values()].find((user) => user.type === "person");
  if (!person) throw validationError(`no person user ${edit.userId ?? ""} to make the edit as`);
  const body: JsonObject = {};
  if (edit.properties) body.properties = edit.properties;
  if (edit.inTrash !== undefined) body.in_trash = edit.inTrash;
  const now = workspace.clock.now().getTime();
  const before = workspace.pages.get(edit.pageId);
  const previous = edit.visibleAfterMs && before ? cloneJson(before) : undefined;
  const page = updatePage(
    workspace,
    edit.pageId,
    body,
    person,
    isoMinute(new Date(now - (edit.backdateMs ?? 0))),
  );
  if (previous) workspace.index.hold(previous, now + (edit.visibleAfterMs ?? 0));
  return page;
}
