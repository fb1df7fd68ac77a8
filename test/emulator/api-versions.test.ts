import { APIErrorCode, APIResponseError, Client } from "@notionhq/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVED_VERSIONS } from "../../src/emulator/api-versions.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";
import { NEWER_THAN_THE_RECORDINGS, readFixture, recordedVersion } from "../support/fixtures.ts";
import { NAMELESS_PERSON_ID, demoWithNamelessPerson } from "../support/nameless-person-seed.ts";
import { RECORDED_KINDS } from "../support/recorded-kinds.ts";
import { shapeDiff } from "../support/shape-diff.ts";

type Obj = Record<string, unknown>;

let session: EmulatorSession;
let seed: SeedFile;
let projectId: string;

beforeAll(async () => {
  const world = demoWithNamelessPerson();
  projectId = world.projectId;
  session = await openEmulator({ seed: world.seed });
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

/** Raw HTTP in one version; the JSON answer and its status. */
function ask(version: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return session.fetchRaw(path, { ...init, headers: { "notion-version": version } });
}

const phases = () => demoSourceId(seed, "phases");
const firstPhase = () => String(pagesOf(seed, phases())[0]?.id);
const databaseOf = (dataSourceId: string) =>
  String(((seed.data_sources.find((s) => s.id === dataSourceId)?.parent ?? {}) as Obj).database_id);
const propertyNames = (page: Obj) => Object.keys(page.properties as Obj);

describe("Notion-Version", () => {
  it.each(SERVED_VERSIONS)("serves %s, and logs the version each request asked for", async (v) => {
    session.emulator.log.clear();
    const answer = await ask(v, "/v1/users/me");
    expect(answer.status).toBe(200);
    expect(answer.json.object).toBe("user");
    expect(session.emulator.log.all().map((entry) => entry.version)).toEqual([v]);
  });

  it.each(["2022-06-28", "2026-12-02", "latest", "2025-9-3"])(
    "refuses %s with Notion's validation message, listing the versions served",
    async (version) => {
      const answer = await ask(version, "/v1/users/me");
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({
        object: "error",
        status: 400,
        code: "validation_error",
        message: `Notion-Version header failed validation: Notion-Version header should be "2025-09-03", "2026-03-11", or "2026-12-01", instead was \`${JSON.stringify(version)}\`.`,
      });
      const client = new Client({
        auth: session.emulator.token,
        baseUrl: session.emulator.url,
        notionVersion: version,
        retry: false,
        logger: () => undefined,
      });
      const error = await client.users.me({}).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(APIResponseError);
      expect((error as APIResponseError).code).toBe(APIErrorCode.ValidationError);
    },
  );
});

describe("archived and in_trash", () => {
  /** Every page, database and data source object one version answers, from each endpoint. */
  async function trashables(version: string): Promise<Obj[]> {
    const source = phases();
    const page = firstPhase();
    const query = await ask(version, `/v1/data_sources/${source}/query`, {
      method: "POST",
      body: { page_size: 3 },
    });
    const pages = await ask(version, "/v1/search", {
      method: "POST",
      body: { filter: { property: "object", value: "page" }, page_size: 3 },
    });
    const sources = await ask(version, "/v1/search", {
      method: "POST",
      body: { filter: { property: "object", value: "data_source" }, page_size: 3 },
    });
    const patched = await ask(version, `/v1/pages/${page}`, {
      method: "PATCH",
      body: { properties: {} },
    });
    return [
      (await ask(version, `/v1/pages/${page}`)).json,
      (await ask(version, `/v1/data_sources/${source}`)).json,
      (await ask(version, `/v1/databases/${databaseOf(source)}`)).json,
      patched.json,
      ...(query.json.results as Obj[]),
      ...(pages.json.results as Obj[]),
      ...(sources.json.results as Obj[]),
    ];
  }

  it("2025-09-03 answers carry archived equal to in_trash; 2026-03-11 and 2026-12-01 only in_trash", async () => {
    const old = await trashables("2025-09-03");
    expect(old.length).toBeGreaterThan(10);
    for (const object of old) {
      expect(object.in_trash, String(object.object)).toBe(false);
      expect(object.archived, String(object.object)).toBe(false);
    }
    for (const version of ["2026-03-11", "2026-12-01"]) {
      const answers = await trashables(version);
      expect(answers).toHaveLength(old.length);
      for (const object of answers) {
        expect(object.in_trash, `${version} ${String(object.object)}`).toBe(false);
        expect(Object.hasOwn(object, "archived"), `${version} ${String(object.object)}`).toBe(
          false,
        );
      }
    }
  });

  it("each version's answers have exactly the keys of that version's recordings", async () => {
    const page = firstPhase();
    const source = phases();
    const answersIn = async (version: string) => ({
      pageRetrieve: [(await ask(version, `/v1/pages/${page}`)).json],
      pageUpdate: [
        (
          await ask(version, `/v1/pages/${page}`, {
            method: "PATCH",
            body: { properties: { "Phase type": { select: { name: "Build" } } } },
          })
        ).json,
      ],
      dataSourceRetrieve: [(await ask(version, `/v1/data_sources/${source}`)).json],
      dataSourceQuery: [
        (
          await ask(version, `/v1/data_sources/${source}/query`, {
            method: "POST",
            body: { page_size: 5 },
          })
        ).json,
      ],
    });
    const problems: string[] = [];
    const recordedIn = new Set<string>();
    for (const version of ["2025-09-03", "2026-03-11"]) {
      const answers = await answersIn(version);
      for (const [kind, bodies] of Object.entries(answers)) {
        const recordings = RECORDED_KINDS[kind as keyof typeof answers].filter(
          (name) => recordedVersion(name) === version,
        );
        for (const name of recordings) {
          recordedIn.add(`${kind} ${version}`);
          for (const body of bodies)
            for (const line of shapeDiff(body, readFixture(name), {
              extraAllowed: NEWER_THAN_THE_RECORDINGS,
            }))
              problems.push(`${version} ${name}: ${line}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(recordedIn.size).toBe(8);
  });

  it("a body saying archived trashes the page under 2025-09-03 and is refused from 2026-03-11 on, the page untouched", async () => {
    const [target] = pagesOf(seed, phases()).slice(-1);
    const id = String(target?.id);
    for (const version of ["2026-03-11", "2026-12-01"]) {
      const refused = await ask(version, `/v1/pages/${id}`, {
        method: "PATCH",
        body: { archived: true },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({
        code: "validation_error",
        message: "body failed validation: body.archived should be not present, instead was `true`.",
      });
      const query = await ask(version, `/v1/data_sources/${phases()}/query`, {
        method: "POST",
        body: { archived: false },
      });
      expect(query.json.message).toBe(
        "body failed validation: body.archived should be not present, instead was `false`.",
      );
      expect(session.emulator.workspace().pages.get(id)?.in_trash).toBe(false);
    }
    const trashed = await ask("2025-09-03", `/v1/pages/${id}`, {
      method: "PATCH",
      body: { archived: true },
    });
    expect(trashed.status).toBe(200);
    expect(trashed.json).toMatchObject({ in_trash: true, archived: true });
    const listed = await ask("2025-09-03", `/v1/data_sources/${phases()}/query`, {
      method: "POST",
      body: { archived: true },
    });
    expect((listed.json.results as Obj[]).map((page) => page.id)).toEqual([id]);
    const newer = await ask("2026-03-11", `/v1/pages/${id}`);
    expect(newer.json.in_trash).toBe(true);
    expect(Object.hasOwn(newer.json, "archived")).toBe(false);
    const restored = await ask("2026-03-11", `/v1/pages/${id}`, {
      method: "PATCH",
      body: { in_trash: false },
    });
    expect(restored.json.in_trash).toBe(false);
  });
});

describe("2026-12-01 lists pages with their title only", () => {
  it("query answers each page with its title unless filter_properties names others; other fields as before", async () => {
    const source = phases();
    const query = (version: string, search = "") =>
      ask(version, `/v1/data_sources/${source}/query${search}`, {
        method: "POST",
        body: { page_size: 10 },
      }).then((answer) => answer.json.results as Obj[]);
    const before = await query("2026-03-11");
    const titleOnly = await query("2026-12-01");
    expect(before.map(propertyNames)[0]?.length).toBeGreaterThan(5);
    expect(titleOnly.map(propertyNames)).toEqual(before.map(() => ["Phase name"]));
    expect(titleOnly.map((page) => ({ ...page, properties: null }))).toEqual(
      before.map((page) => ({ ...page, properties: null })),
    );
    expect(titleOnly.map((page) => (page.properties as Obj)["Phase name"])).toEqual(
      before.map((page) => (page.properties as Obj)["Phase name"]),
    );
    const asked = await query("2026-12-01", "?filter_properties=title&filter_properties=status");
    expect(asked.map((page) => propertyNames(page).sort())).toEqual(
      before.map(() => ["Phase name", "status"]),
    );
    const statusOnly = await query("2026-12-01", "?filter_properties=status");
    expect(statusOnly.map(propertyNames)).toEqual(before.map(() => ["status"]));
  });

  it("search answers pages with their title only, data sources with their whole schema", async () => {
    const search = (version: string, value: string) =>
      ask(version, "/v1/search", {
        method: "POST",
        body: { filter: { property: "object", value }, page_size: 20 },
      }).then((answer) => answer.json.results as Obj[]);
    const pages = await search("2026-12-01", "page");
    expect(pages.length).toBe(20);
    for (const page of pages) {
      const names = propertyNames(page);
      expect(names).toHaveLength(1);
      expect(((page.properties as Obj)[names[0] ?? ""] as Obj).type).toBe("title");
    }
    const older = await search("2026-03-11", "page");
    expect(older.some((page) => propertyNames(page).length > 1)).toBe(true);
    const sources = await search("2026-12-01", "data_source");
    expect(sources.map(propertyNames)).toEqual(
      (await search("2026-03-11", "data_source")).map(propertyNames),
    );
  });

  it("retrieving a page still answers every property", async () => {
    const page = firstPhase();
    const newest = await ask("2026-12-01", `/v1/pages/${page}`);
    const before = await ask("2026-03-11", `/v1/pages/${page}`);
    expect(propertyNames(newest.json)).toEqual(propertyNames(before.json));
  });
});

describe("a person without a name", () => {
  const nameIn = async (version: string) => {
    const user = await ask(version, `/v1/users/${NAMELESS_PERSON_ID}`);
    const listed = await ask(version, "/v1/users?page_size=100");
    const page = await ask(version, `/v1/pages/${projectId}`);
    const owner = (page.json.properties as Record<string, { id: string; people: Obj[] }>).Owner;
    const item = await ask(version, `/v1/pages/${projectId}/properties/${owner?.id ?? ""}`);
    const inList = (listed.json.results as Obj[]).find((entry) => entry.id === NAMELESS_PERSON_ID);
    const inPage = owner?.people.find((entry) => entry.id === NAMELESS_PERSON_ID);
    const inItem = (item.json.results as Array<{ people: Obj }>)
      .map((entry) => entry.people)
      .find((entry) => entry.id === NAMELESS_PERSON_ID);
    return [user.json, inList, inPage, inItem].map((found) =>
      found && Object.hasOwn(found, "name") ? found.name : "(absent)",
    );
  };

  it('is shown with name null under 2026-12-01, and name "" under the older versions', async () => {
    expect(await nameIn("2026-12-01")).toEqual([null, null, null, null]);
    expect(await nameIn("2026-03-11")).toEqual(["", "", "", ""]);
    expect(await nameIn("2025-09-03")).toEqual(["", "", "", ""]);
  });

  it("leaves named people alone in every version", async () => {
    for (const version of SERVED_VERSIONS) {
      const listed = await ask(version, "/v1/users?page_size=100");
      const names = (listed.json.results as Obj[])
        .filter((user) => user.id !== NAMELESS_PERSON_ID)
        .map((user) => user.name);
      expect(names.length).toBeGreaterThan(5);
      expect(names.every((name) => typeof name === "string" && name.length > 0)).toBe(true);
    }
  });
});

describe("a seed made from newer answers (a rehearsal copy of a 2026-03-11 mirror)", () => {
  it('gets archived from in_trash under 2025-09-03, and a person named "" is null under 2026-12-01', async () => {
    const newer = demoWorkspace();
    for (const page of newer.pages) delete page.archived;
    const [kept, trashed] = newer.pages;
    if (!kept || !trashed) throw new Error("the demo has pages");
    trashed.in_trash = true;
    const [person] = newer.users.filter((user) => user.type === "person");
    if (!person) throw new Error("the demo has people");
    person.name = "";
    const copy = await openEmulator({ seed: newer });
    try {
      const read = (version: string, id: unknown) =>
        copy
          .fetchRaw(`/v1/pages/${String(id)}`, { headers: { "notion-version": version } })
          .then((answer) => answer.json);
      expect(Object.hasOwn(await read("2026-03-11", kept.id), "archived")).toBe(false);
      expect(await read("2025-09-03", kept.id)).toMatchObject({ in_trash: false, archived: false });
      expect(await read("2025-09-03", trashed.id)).toMatchObject({
        in_trash: true,
        archived: true,
      });
      const user = (version: string) =>
        copy
          .fetchRaw(`/v1/users/${String(person.id)}`, { headers: { "notion-version": version } })
          .then((answer) => answer.json.name);
      expect(await user("2026-12-01")).toBeNull();
      expect(await user("2026-03-11")).toBe("");
    } finally {
      await copy.stop();
    }
  });
});
