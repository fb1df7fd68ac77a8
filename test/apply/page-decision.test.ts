import type { PageObjectResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import type { EngineChange } from "../../src/apply/engine-types.ts";
import type { ChangeDecision } from "../../src/apply/page-decision.ts";
import { decidePage } from "../../src/apply/page-decision.ts";
import { judgeReadBack } from "../../src/apply/read-back.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import type { PreEntry } from "../../src/snapshot/entries.ts";

const PAGE = "0c5a1f0e-0000-4000-8000-000000000001";
const BOT = "b0b0b0b0-0000-4000-8000-000000000002";
const PERSON = "a1a1a1a1-0000-4000-8000-000000000003";

const number = (value: number | null): PropertyValue => ({
  id: "num",
  type: "number",
  number: value,
});
const text = (content: string): PropertyValue => ({
  id: "txt",
  type: "rich_text",
  rich_text: content
    ? [
        {
          type: "text",
          text: { content, link: null },
          annotations: {
            bold: false,
            italic: false,
            strikethrough: false,
            underline: false,
            code: false,
            color: "default",
          },
          plain_text: content,
          href: null,
        },
      ]
    : [],
});

/** A page object as Notion answers GET /v1/pages/{id}, holding these property values. */
function page(
  values: PropertyValue[],
  options: { inTrash?: boolean; editedBy?: string; editedAt?: string } = {},
): PageObjectResponse {
  const json = {
    object: "page",
    id: PAGE,
    created_time: "2025-06-01T10:00:00.000Z",
    last_edited_time: options.editedAt ?? "2025-06-01T10:00:00.000Z",
    created_by: { object: "user", id: PERSON },
    last_edited_by: { object: "user", id: options.editedBy ?? PERSON },
    cover: null,
    icon: null,
    parent: { type: "data_source_id", data_source_id: "ds", database_id: "db" },
    archived: options.inTrash ?? false,
    in_trash: options.inTrash ?? false,
    is_locked: false,
    properties: Object.fromEntries(values.map((value) => [value.id, value])),
    url: `https://www.notion.so/${PAGE.replaceAll("-", "")}`,
    public_url: null,
  };
  return json as unknown as PageObjectResponse;
}

let nextId = 0;
function fill(payload: EngineChange["payload"], propertyId = "num"): EngineChange {
  nextId += 1;
  return {
    changeId: nextId,
    pageId: PAGE,
    dataSourceId: "ds",
    propertyId,
    propertyName: propertyId === "num" ? "Score" : "Notes",
    propertyType: propertyId === "num" ? "number" : "rich_text",
    payload,
    guard: { kind: "empty" },
    expected: { kind: "payload" },
  };
}

/** A revert of a number the run set to `wrote`, back to `restore`. */
function restore(wrote: number, to: number | null): EngineChange {
  return {
    ...fill({ number: to }),
    guard: { kind: "equals", value: number(wrote) },
    expected: { kind: "value", value: number(to) },
  };
}

const pre = (change: EngineChange, before: PropertyValue): PreEntry => ({
  type: "pre",
  changeId: change.changeId,
  pageId: PAGE,
  propertyId: change.propertyId,
  before,
  at: "2025-06-01T10:00:00.000Z",
});

const kinds = (decisions: ChangeDecision[]) =>
  decisions.map((decision) => [decision.kind, "reason" in decision ? decision.reason : undefined]);

describe("the per-page decision, from the page as read live", () => {
  it("fails every change of a page that could not be read, or is in the trash", () => {
    const changes = [fill({ number: 1 }), fill({ rich_text: [] }, "txt")];
    expect(kinds(decidePage(changes, { ok: false, reason: "gone" }, new Map()))).toEqual([
      ["failed", "gone"],
      ["failed", "gone"],
    ]);
    const trashed = { ok: true as const, page: page([number(null)], { inTrash: true }) };
    expect(kinds(decidePage(changes, trashed, new Map()))).toEqual([
      ["failed", "the page is in the trash"],
      ["failed", "the page is in the trash"],
    ]);
  });

  it("fails a change whose property is gone or now of another type", () => {
    const live = { ok: true as const, page: page([{ ...text(""), id: "num" }]) };
    const gone = fill({ rich_text: [] }, "txt");
    expect(kinds(decidePage([fill({ number: 1 }), gone], live, new Map()))).toEqual([
      ["failed", "property Score is now a rich_text, not a number"],
      ["failed", "property Notes no longer exists"],
    ]);
  });

  it("sends a fill onto an empty value, and protects a value filled since the plan", () => {
    const empty = fill({ number: 1 });
    const filled = fill({ rich_text: [{ text: { content: "planned" } }] }, "txt");
    const live = { ok: true as const, page: page([number(null), text("typed by a person")]) };
    const [send, kept] = decidePage([empty, filled], live, new Map());
    expect(send).toEqual({ kind: "send", change: empty, before: number(null), resumed: false });
    expect(kept).toMatchObject({
      kind: "protected",
      before: text("typed by a person"),
      reason: "filled since the plan (the value there now is kept)",
    });
  });

  it("settles a fill already written by this integration since the plan, without sending it", () => {
    const change = fill({ number: 7 });
    const live = {
      ok: true as const,
      page: page([number(7)], { editedBy: BOT, editedAt: "2025-06-01T10:05:00.000Z" }),
    };
    const [decision] = decidePage([change], live, new Map(), {
      botId: BOT,
      since: "2025-06-01T10:04:30.000Z",
    });
    expect(decision).toMatchObject({ kind: "already-there", value: number(7), resumed: false });
    // Written by a person instead: a value filled since the plan, kept.
    const byPerson = { ok: true as const, page: page([number(7)]) };
    expect(decidePage([change], byPerson, new Map())[0]?.kind).toBe("protected");
  });

  it("restores a value still the run's, leaves one changed since (a conflict), skips one already back", () => {
    const still = decidePage([restore(3, null)], { ok: true, page: page([number(3)]) }, new Map());
    expect(still[0]).toMatchObject({ kind: "send", before: number(3) });
    const changed = decidePage(
      [restore(3, null)],
      { ok: true, page: page([number(4)]) },
      new Map(),
    );
    expect(kinds(changed)).toEqual([
      ["conflict", "changed since the run wrote it (the value there now is kept)"],
    ]);
    const back = decidePage(
      [restore(3, null)],
      { ok: true, page: page([number(null)]) },
      new Map(),
    );
    expect(back[0]).toMatchObject({ kind: "already-there", resumed: false });
  });

  it("judges an interrupted write by what the page holds, never sending it blind", () => {
    const landed = fill({ number: 5 });
    const notYet = fill({ number: 6 });
    const overwritten = fill({ number: 8 });
    const prior = new Map(
      [landed, notYet, overwritten].map((change) => [change.changeId, pre(change, number(null))]),
    );
    const at = (value: number | null) => ({ ok: true as const, page: page([number(value)]) });
    expect(decidePage([landed], at(5), prior)[0]).toMatchObject({
      kind: "already-there",
      note: "settled on resume",
      resumed: true,
    });
    expect(decidePage([notYet], at(null), prior)[0]).toEqual({
      kind: "send",
      change: notYet,
      before: number(null),
      resumed: true,
    });
    expect(kinds(decidePage([overwritten], at(2), prior))).toEqual([
      ["conflict", "changed by someone else since an interrupted write"],
    ]);
  });
});

describe("the read-back that settles a lost answer", () => {
  it("applies what landed, sends again what did not, and leaves what someone changed", () => {
    const score = fill({ number: 5 });
    const notes = fill({ rich_text: [{ text: { content: "n" } }] }, "txt");
    const befores = new Map<number, unknown>([
      [score.changeId, number(null)],
      [notes.changeId, text("")],
    ]);
    const landed = judgeReadBack([score, notes], befores, page([number(5), text("")]), "lost");
    expect(landed.map((judged) => judged.kind)).toEqual(["applied", "again"]);
    expect(landed[0]).toMatchObject({ note: "confirmed by reading back" });
    const changed = judgeReadBack([score], befores, page([number(9), text("")]), "held");
    expect(changed[0]).toMatchObject({
      kind: "conflict",
      value: number(9),
      reason: "changed by someone else while the write was held back",
    });
  });
});
