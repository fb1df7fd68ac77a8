import { readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProposalRow } from "../../src/review/proposals.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";
import { readCsv, writeRows } from "./review-csv.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

const planned = async (): Promise<string> => (await world.plan()).runId;

const proposals = (runId: string): ProposalRow[] => world.proposals(runId);

/** The live value of a page's property in the emulator, as Notion's JSON. */
function live(pageId: string, property: string): unknown {
  const page = world.session.emulator
    .dump()
    .pages.find((candidate) => String(candidate.id) === pageId) as
    { properties: Record<string, unknown> } | undefined;
  return page?.properties[property];
}

describe("review: decide proposals in a shared file", () => {
  it("exports every proposal with a decision column, in people's terms", async () => {
    const runId = await planned();
    const file = join(world.project.dir, "proposals.csv");
    const exported = await world.cli("review", runId, "--export", file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Wrote 49 proposals to ${file}`);
    const { header, rows } = readCsv(file);
    expect(header).toEqual([
      "proposal",
      "rule",
      "confidence",
      "rule_description",
      "database",
      "page_id",
      "page",
      "property",
      "current",
      "proposed",
      "proposed_value",
      "decision",
      "decided_by",
      "decided_at",
    ]);
    expect(rows).toHaveLength(49);
    // UTF-8 with a byte-order mark, so that a spreadsheet shows titles such as "—" intact; the
    // file imports back as it is.
    expect(readFileSync(file, "utf8").startsWith("\uFEFFproposal,rule,")).toBe(true);
    const asExported = await world.cli("review", runId, "--import", file);
    expect(asExported.code, asExported.stderr).toBe(0);
    expect(asExported.stderr).toContain(
      "0 accepted, 0 rejected, 49 left undecided, 0 unchanged, 0 changed from an earlier decision",
    );
    const link = rows.find((row) => row.rule === "phase-project-by-code");
    const stored = proposals(runId).find((row) => String(row.id) === link?.proposal);
    const target = (JSON.parse(JSON.parse(stored?.naturalJson ?? '""') as string) as string[])[0];
    const title = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT project_name FROM wt_projects WHERE page_id = ?")
          .pluck()
          .get(target) as string,
    );
    expect(link?.proposed).toBe(`${title} (${target})`);
    expect(link?.current).toBe("(empty)");
    expect(link?.decision).toBe("");
    // What the rule does travels with each of its proposals, for the people deciding.
    expect(link?.rule_description).toMatch(/^Links a phase to the one project whose projectID/);

    const json = join(world.project.dir, "proposals.json");
    expect((await world.cli("review", runId, "--export", json)).code).toBe(0);
    const parsed = JSON.parse(readFileSync(json, "utf8")) as {
      run: string;
      rules: unknown;
      proposals: Array<Record<string, unknown>>;
    };
    expect(parsed.run).toBe(runId);
    expect(parsed.proposals).toHaveLength(49);
    expect(parsed.proposals[0]).toHaveProperty("decision", "");
    writeFileSync(json, `\uFEFF${readFileSync(json, "utf8")}`);
    const withMark = await world.cli("review", runId, "--import", json);
    expect(withMark.code, withMark.stderr).toBe(0);
    expect(parsed.proposals[0]?.rule_description).toMatch(/\S/);
    expect(parsed.rules).toEqual([
      expect.objectContaining({
        rule: "phase-project-by-code",
        target: "wt_phase_database.projectId",
        confidence: "medium",
        description: expect.stringMatching(/^Links a phase to the one project/) as unknown,
      }),
      expect.objectContaining({
        rule: "project-id-from-code",
        description: expect.stringMatching(/^Proposes the project's unique Code/) as unknown,
      }),
    ]);

    const listed = await world.cli("review", runId, "--list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^review: phase-project-by-code → wt_phase_database\.projectId \(medium confidence\), 33 proposals\n {2}Links a phase to the one project/m,
    );
    const asJson = await world.cli("review", runId, "--json");
    expect(asJson.code, asJson.stderr).toBe(0);
    expect((JSON.parse(asJson.stdout) as { rules: unknown }).rules).toEqual(parsed.rules);
  });

  it("imports a decided file, records who and when, and push sends the planned changes and the accepted ones only", async () => {
    const runId = await planned();
    const file = join(world.project.dir, "decided.csv");
    expect((await world.cli("review", runId, "--export", file)).code).toBe(0);
    const { header, rows } = readCsv(file);
    // The business owners accept the 16 project ids and all links but three, which they reject.
    const links = rows.filter((row) => row.rule === "phase-project-by-code");
    const rejected = new Set(links.slice(0, 3).map((row) => row.page_id));
    for (const row of rows) row.decision = rejected.has(row.page_id) ? "reject" : "accept";
    writeRows(file, header, rows);

    const imported = await world.cli("review", runId, "--import", file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain("46 accepted, 3 rejected");
    const decided = proposals(runId);
    expect(decided.filter((row) => row.status === "accepted")).toHaveLength(46);
    expect(decided.filter((row) => row.status === "rejected")).toHaveLength(3);
    for (const row of decided) {
      expect(row.decidedBy).toBe(userInfo().username);
      expect(row.decidedVia).toBe("import");
      expect(Number.isNaN(Date.parse(row.decidedAt ?? ""))).toBe(false);
    }

    const pushed = await world.cli("push", runId, "--yes");
    expect(pushed.code, pushed.stderr).toBe(0);
    const sent = world.session.emulator.log
      .all()
      .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/"))
      .map((entry) => entry.path.split("/").pop() ?? "");
    const acceptedPages = new Set(
      decided.filter((row) => row.status === "accepted").map((row) => row.pageId),
    );
    for (const pageId of rejected) {
      expect((live(pageId ?? "", "projectId") as { relation: unknown[] }).relation).toEqual([]);
    }
    for (const pageId of acceptedPages) expect(sent).toContain(pageId);
    const acceptedLink = decided.find(
      (row) => row.status === "accepted" && row.rule === "phase-project-by-code",
    );
    expect(
      (live(acceptedLink?.pageId ?? "", "projectId") as { relation: Array<{ id: string }> })
        .relation,
    ).toHaveLength(1);
    const applied = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT count(*) FROM changes WHERE run_id = ? AND status = 'applied'")
          .pluck()
          .get(runId) as number,
    );
    expect(applied).toBe(5 + 46);

    const md = await world.cli("runs", "show", runId, "--md");
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("## Review decisions");
    expect(md.stdout).toMatch(/\| phase-project-by-code \| 30 \| 3 \| 0 \| \S+ \(import, /);
    expect(md.stdout).toMatch(/\| project-id-from-code \| 16 \| 0 \| 0 \|/);
  });

  it("refuses a file with unknown ids, edited values, duplicate rows or bad decisions, naming each row, and imports nothing", async () => {
    const runId = await planned();
    const file = join(world.project.dir, "bad.csv");
    expect((await world.cli("review", runId, "--export", file)).code).toBe(0);
    const { header, rows } = readCsv(file);
    for (const row of rows) row.decision = "accept";
    const [first, second, third, fourth] = rows;
    if (!first || !second || !third || !fourth)
      throw new Error("the demo has fewer than 4 proposals");
    first.proposal = "999999";
    second.proposed_value = "PRJ-EDITED";
    third.decision = "maybe";
    writeRows(file, header, [...rows, { ...fourth }]);

    const imported = await world.cli("review", runId, "--import", file);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain("4 bad rows; nothing was imported");
    expect(imported.stderr).toContain(`row 2: proposal 999999 is not a proposal of run ${runId}`);
    expect(imported.stderr).toMatch(
      /row 3: proposal \d+'s proposed_value was edited \(file: "PRJ-EDITED"/,
    );
    expect(imported.stderr).toContain('row 4: decision "maybe" is not accept, reject or empty');
    expect(imported.stderr).toContain(
      `row ${rows.length + 2}: proposal ${fourth.proposal} is listed again (first at row 5)`,
    );
    expect(new Set(proposals(runId).map((row) => row.status))).toEqual(new Set(["for_review"]));
    const changes = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT count(*) FROM changes WHERE run_id = ?")
          .pluck()
          .get(runId) as number,
    );
    expect(changes).toBe(5);

    const notJson = join(world.project.dir, "bad.json");
    writeFileSync(notJson, "{ not json");
    const broken = await world.cli("review", runId, "--import", notJson);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("is not a proposals file: it is not valid JSON");
  });
});

describe("review: decide by flags", () => {
  it("accepts a rule and rejects a page, and refuses a proposal named on both sides", async () => {
    const runId = await planned();
    const links = proposals(runId).filter((row) => row.rule === "phase-project-by-code");
    const page = links[0]?.pageId ?? "";
    const both = await world.cli(
      "review",
      runId,
      "--accept",
      "phase-project-by-code",
      "--reject",
      page,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("is named by --accept phase-project-by-code and by --reject");
    expect(new Set(proposals(runId).map((row) => row.status))).toEqual(new Set(["for_review"]));

    const accepted = await world.cli(
      "review",
      runId,
      "--accept",
      "project-id-from-code",
      "--reject",
      page,
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain("16 accepted, 1 rejected");
    const after = proposals(runId);
    expect(after.filter((row) => row.status === "accepted").map((row) => row.rule)).toEqual(
      Array(16).fill("project-id-from-code"),
    );
    expect(after.find((row) => row.pageId === page)?.status).toBe("rejected");

    const unknown = await world.cli("review", runId, "--accept", "no-such-rule");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"no-such-rule" names no proposal of run');

    const listing = await world.cli("review", runId, "--list");
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(
      new RegExp(
        `rejected by ${userInfo().username} on \\d+ \\w+ \\d{4} \\d\\d:\\d\\d(:\\d\\d)? UTC \\(flag\\)`,
      ),
    );
    expect(listing.stderr).toContain("16 accepted, 1 rejected, 32 for review");
  });

  it("refuses to push a run whose only proposals are undecided", async () => {
    const ran = await world.cli("plan", "project-id-from-code");
    const runId = /^Planned run (\S+)\./m.exec(ran.stdout)?.[1] ?? "";
    const pushed = await world.cli("push", runId, "--yes");
    expect(pushed.code).toBe(2);
    expect(pushed.stderr).toContain(
      "none of its 16 proposals is accepted (16 undecided, 0 rejected)",
    );
    expect(world.session.emulator.log.all().filter((entry) => entry.method === "PATCH")).toEqual(
      [],
    );
  });

  it("carries a decision over to the same proposal when planning again, and leaves a changed one for review", async () => {
    const first = await planned();
    expect((await world.cli("review", first, "--accept", "phase-project-by-code")).code).toBe(0);
    const links = proposals(first).filter((row) => row.rule === "phase-project-by-code");
    const [changed, other] = links;
    // A person types another project's code into one phase in Notion; the next pull sees it.
    const otherCode = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare(`SELECT p.project_code FROM wt_phase_database AS p WHERE p.page_id = ?`)
          .pluck()
          .get(other?.pageId) as string,
    );
    const ownCode = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT project_code FROM wt_phase_database WHERE page_id = ?")
          .pluck()
          .get(changed?.pageId) as string,
    );
    expect(otherCode).not.toBe(ownCode);
    world.session.emulator.editAsPerson({
      pageId: changed?.pageId ?? "",
      properties: { projectCode: { rich_text: [{ text: { content: otherCode } }] } },
    });
    await world.project.pull();
    const second = await planned();
    const again = proposals(second).filter((row) => row.rule === "phase-project-by-code");
    expect(again).toHaveLength(33);
    const moved = again.find((row) => row.pageId === changed?.pageId);
    expect(moved?.status).toBe("for_review");
    const carried = again.filter((row) => row.pageId !== changed?.pageId);
    for (const row of carried) {
      expect(row.status).toBe("accepted");
      expect(row.decidedVia).toBe("carried");
      expect(row.decidedBy).toBe(userInfo().username);
    }
  });
});
