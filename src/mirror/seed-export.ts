import { NotionMirrorError } from "../errors.ts";
import { openMirrorReadOnly } from "./open-mirror.ts";
import { allSchemaJson } from "./stored-schemas.ts";

type Loose = Record<string, unknown>;

/** A workspace in the emulator's seed format (Notion's own objects), built from a mirror. */
export interface MirrorSeed {
  integration: { id: string; name: string; bot_user_id: string; workspace_name: string };
  users: Loose[];
  databases: Loose[];
  data_sources: Loose[];
  pages: Loose[];
}

const REHEARSAL_BOT = "00000000-0000-4000-8000-00000000b07e";

/**
 * The workspace a mirror holds — data sources with their schemas, every page not gone (trashed
 * ones kept, as in Notion), and the users its pages mention — so an emulator can serve a copy of
 * a real workspace for a rehearsal (`emulator --from-mirror`). Users are known only as far as the
 * pages show them; the integration is a stand-in bot.
 */
export function seedFromMirror(path: string): MirrorSeed {
  const sqlite = openMirrorReadOnly(path);
  try {
    const sources = allSchemaJson(sqlite).map((json) => JSON.parse(json) as Loose);
    if (sources.length === 0) {
      throw new NotionMirrorError(
        "usage",
        `The mirror ${path} holds no data source yet.`,
        "Try: notion-mirror sync pull, first.",
      );
    }
    const users = new Map<string, Loose>();
    const pages: Loose[] = [];
    for (const row of sqlite
      .prepare("SELECT raw_json AS json FROM pages WHERE gone = 0 ORDER BY created_time, id")
      .iterate() as IterableIterator<{ json: string }>) {
      const page = JSON.parse(row.json) as Loose;
      collectUsers(page, users);
      pages.push(page);
    }
    for (const source of sources) collectUsers(source, users);
    users.set(REHEARSAL_BOT, {
      object: "user",
      id: REHEARSAL_BOT,
      name: "notion-mirror rehearsal",
      avatar_url: null,
      type: "bot",
      bot: { owner: { type: "workspace", workspace: true }, workspace_name: "Rehearsal copy" },
    });
    return {
      integration: {
        id: REHEARSAL_BOT,
        name: "notion-mirror rehearsal",
        bot_user_id: REHEARSAL_BOT,
        workspace_name: "Rehearsal copy",
      },
      users: [...users.values()],
      databases: sources.map(databaseOf),
      data_sources: sources,
      pages,
    };
  } finally {
    sqlite.close();
  }
}

/** Full user objects as pages show them (people values, mentions); bare references become people. */
function collectUsers(value: unknown, users: Map<string, Loose>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectUsers(item, users);
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Loose;
  if (object.object === "user" && typeof object.id === "string") {
    const known = users.get(object.id);
    if (!known || (object.name !== undefined && known.name === undefined)) {
      users.set(
        object.id,
        object.name !== undefined
          ? object
          : {
              object: "user",
              id: object.id,
              name: null,
              avatar_url: null,
              type: "person",
              person: {},
            },
      );
    }
  }
  for (const child of Object.values(object)) collectUsers(child, users);
}

function databaseOf(source: Loose): Loose {
  const parent = (source.parent ?? {}) as Loose;
  const id = String(parent.database_id ?? source.id);
  return {
    object: "database",
    id,
    title: source.title ?? [],
    description: source.description ?? [],
    parent: source.database_parent ?? { type: "workspace", workspace: true },
    is_inline: false,
    in_trash: false,
    is_locked: false,
    created_time: source.created_time,
    last_edited_time: source.last_edited_time,
    data_sources: [
      {
        id: source.id,
        name: ((source.title ?? []) as Array<{ plain_text?: string }>)
          .map((item) => item.plain_text ?? "")
          .join(""),
      },
    ],
    icon: source.icon ?? null,
    cover: source.cover ?? null,
    url: `https://www.notion.so/${id.replaceAll("-", "")}`,
    public_url: null,
    archived: false,
  };
}
