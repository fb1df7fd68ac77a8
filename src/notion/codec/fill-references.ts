import type { FillContext, Refusal } from "./fill-context.ts";
import {
  asList,
  describeValue,
  expected,
  firstDuplicate,
  refuse,
  targetLabel,
} from "./fill-context.ts";
import { NOTION_LIMITS } from "./limits.ts";
import { normalizeNotionId } from "./notion-id.ts";
import type { PayloadResult } from "./types.ts";

type IdList = { ok: true; ids: string[] } | Refusal;

function tooMany(count: number, what: string, ctx: FillContext): string {
  return `${count} ${what} for ${targetLabel(ctx)} is more than the ${NOTION_LIMITS.arrayItems} Notion accepts in one write`;
}

/**
 * 1 to 100 Notion ids from an array, the text of a JSON array, or one id; dashless ids are
 * accepted and returned dashed; a repeat is refused (Notion would keep it once).
 */
function idList(natural: unknown, what: string, ctx: FillContext): IdList {
  const list = asList(natural);
  const form = `a list of ${what} ids (UUIDs)`;
  if (!list || list.length === 0) return expected(ctx, form, natural);
  if (list.length > NOTION_LIMITS.arrayItems) {
    return { ok: false, reason: tooMany(list.length, `${what}s`, ctx) };
  }
  const ids: string[] = [];
  for (const item of list) {
    const id = typeof item === "string" ? normalizeNotionId(item) : null;
    if (id === null) {
      return {
        ok: false,
        reason: `expected ${form} of ${targetLabel(ctx)}, got ${describeValue(item)} in ${describeValue(natural)}`,
      };
    }
    ids.push(id);
  }
  const repeated = firstDuplicate(ids);
  if (repeated !== undefined) {
    return { ok: false, reason: `${what} ${repeated} is listed twice for ${targetLabel(ctx)}` };
  }
  return { ok: true, ids };
}

/**
 * relation from page ids, in order. Whether the pages exist in the related data source is the
 * plan's check (it has the mirror); this one checks the form.
 */
export function fillRelation(natural: unknown, ctx: FillContext): PayloadResult {
  const ids = idList(natural, "page", ctx);
  if (!ids.ok) return ids;
  return { ok: true, payload: { relation: ids.ids.map((id) => ({ id })) } };
}

/** people from user ids, in order. Whether they are known users is the plan's check. */
export function fillPeople(natural: unknown, ctx: FillContext): PayloadResult {
  const ids = idList(natural, "user", ctx);
  if (!ids.ok) return ids;
  return { ok: true, payload: { people: ids.ids.map((id) => ({ id })) } };
}

function fileEntry(item: unknown): { name: string; url: string } | undefined {
  let url: unknown = item;
  let name: unknown;
  if (typeof item === "object" && item !== null && !Array.isArray(item)) {
    url = "url" in item ? item.url : undefined;
    name = "name" in item ? item.name : undefined;
  }
  if (typeof url !== "string" || !isWebUrl(url)) return undefined;
  if (name !== undefined && (typeof name !== "string" || name.trim() === "")) return undefined;
  return { name: name ?? defaultFileName(url), url };
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** The last path segment ("report.pdf"), or the host when the path has none. */
function defaultFileName(url: string): string {
  const parsed = new URL(url);
  const segment = parsed.pathname.split("/").filter(Boolean).pop();
  if (!segment) return parsed.hostname;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * files from external http(s) URLs, or `{url, name?}` objects, in order (array, JSON array text,
 * or one URL). The name defaults to the URL's last path segment. Uploading files is not a fill.
 */
export function fillFiles(natural: unknown, ctx: FillContext): PayloadResult {
  const list = asList(natural);
  const form = "a list of http(s) file URLs or {url, name} objects";
  if (!list || list.length === 0) return expected(ctx, form, natural);
  if (list.length > NOTION_LIMITS.arrayItems) return refuse(tooMany(list.length, "files", ctx));
  const files = [];
  for (const item of list) {
    const entry = fileEntry(item);
    if (!entry) {
      return refuse(
        `expected ${form} of ${targetLabel(ctx)}, got ${describeValue(item)} in ${describeValue(natural)}`,
      );
    }
    files.push({ name: entry.name, type: "external" as const, external: { url: entry.url } });
  }
  return { ok: true, payload: { files } };
}
