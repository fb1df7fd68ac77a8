import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCsv, writeCsv } from "../../src/review/csv.ts";
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

const statuses = (runId: string) => new Set(proposals(runId).map((row) => row.status));

async function exported(runId: string, name = "proposals.csv") {
  const file = join(world.project.dir, name);
  const ran = await world.cli("review", runId, "--export", file);
  expect(ran.code, ran.stderr).toBe(0);
  return { file, ...readCsv(file) };
}

describe("review --import: a file decided before a re-plan", () => {
  it("matches rows by page, property, rule and value, applies those, and lists the ones whose proposal changed or went", async () => {
    const first = await planned();
    const { file, header, rows } = await exported(first);
    const links = rows.filter((row) => row.rule === "phase-project-by-code");
    const [changed, gone, rejected] = links;
    if (!changed || !gone || !rejected) throw new Error("the demo has fewer than 3 links");
    for (const row of links) row.decision = row === rejected ? "reject" : "accept";
    writeRows(file, header, rows);

    // While the file is with the business owners, people edit two phases in Notion: one gets
    // another phase's project code (its link proposal changes), one gets its project linked by hand
    // (no proposal for it any more).
    const otherCode = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT project_code FROM wt_phase_database WHERE page_id = ?")
          .pluck()
          .get(rejected.page_id) as string,
    );
    world.session.emulator.editAsPerson({
      pageId: changed.page_id ?? "",
      properties: { projectCode: { rich_text: [{ text: { content: otherCode } }] } },
    });
    const target = (JSON.parse(gone.proposed_value ?? "[]") as string[])[0] ?? "";
    world.session.emulator.editAsPerson({
      pageId: gone.page_id ?? "",
      properties: { projectId: { relation: [{ id: target }] } },
    });
    await world.project.pull();
    const second = await planned();
    expect(second).not.toBe(first);
    expect(proposals(second).some((row) => String(row.id) === changed.proposal)).toBe(false);

    const imported = await world.cli("review", second, "--import", file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      `Imported ${file}: 30 accepted, 1 rejected, 16 left undecided`,
    );
    expect(imported.stderr).toContain(
      "47 rows of an earlier plan matched this run's proposals by page, property, rule and proposed value",
    );
    expect(imported.stderr).toContain(
      "Not applied: 2 decided rows of an earlier plan that match no proposal of this run:",
    );
    expect(imported.stderr).toMatch(
      new RegExp(
        `row \\d+: .+ projectId \\[phase-project-by-code\\], accept: proposed value changed`,
      ),
    );
    expect(imported.stderr).toMatch(
      new RegExp(
        `row \\d+: .+ projectId \\[phase-project-by-code\\], accept: proposal gone: run ${second} proposes nothing for this page's projectId`,
      ),
    );
    const now = proposals(second);
    expect(now.filter((row) => row.status === "accepted")).toHaveLength(30);
    expect(now.find((row) => row.pageId === rejected.page_id)?.status).toBe("rejected");
    expect(now.find((row) => row.pageId === changed.page_id)?.status).toBe("for_review");
    expect(now.some((row) => row.pageId === gone.page_id)).toBe(false);
  });
});

describe("review --import: decisions are the documented words only", () => {
  it("refuses yes, accepted and other words, naming the row, the word and the allowed words, and applies nothing", async () => {
    const runId = await planned();
    const { file, header, rows } = await exported(runId);
    for (const row of rows) row.decision = "accept";
    const [yes, accepted, maybe, upper] = rows;
    if (!yes || !accepted || !maybe || !upper) throw new Error("the demo has fewer than 4 rows");
    yes.decision = "yes";
    accepted.decision = "accepted";
    maybe.decision = "maybe";
    upper.decision = " Reject ";
    writeRows(file, header, rows);

    const imported = await world.cli("review", runId, "--import", file);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain("3 bad rows; nothing was imported");
    expect(imported.stderr).toContain(
      'row 2: decision "yes" is not accept, reject or empty (undecided); did you mean accept?',
    );
    expect(imported.stderr).toContain(
      'row 3: decision "accepted" is not accept, reject or empty (undecided); did you mean accept?',
    );
    expect(imported.stderr).toMatch(
      /row 4: decision "maybe" is not accept, reject or empty \(undecided\)\n/,
    );
    expect(statuses(runId)).toEqual(new Set(["for_review"]));

    yes.decision = "accept";
    accepted.decision = "";
    maybe.decision = "REJECT";
    writeRows(file, header, rows);
    const fixed = await world.cli("review", runId, "--import", file);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain("46 accepted, 2 rejected, 1 left undecided");
  });
});

describe("review --export: an existing file", () => {
  it("is refused unless --force, left as it was; replaced whole and 0600 with --force", async () => {
    const runId = await planned();
    const { file } = await exported(runId);
    writeFileSync(file, "decisions people typed\n");
    const again = await world.cli("review", runId, "--export", file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${file} already exists; it was left as it is`);
    expect(again.stderr).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("decisions people typed\n");

    const forced = await world.cli("review", runId, "--export", file, "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(readCsv(file).rows).toHaveLength(49);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("review --import: what it did", () => {
  it("counts and lists the decisions it turned around, and --undecide sets proposals back to undecided", async () => {
    const runId = await planned();
    const accepted = await world.cli("review", runId, "--accept", "phase-project-by-code");
    expect(accepted.code, accepted.stderr).toBe(0);
    const { file, header, rows } = await exported(runId, "decided.csv");
    const flipped = rows.find((row) => row.rule === "phase-project-by-code");
    if (!flipped) throw new Error("the demo has links");
    flipped.decision = "reject";
    writeRows(file, header, rows);

    const imported = await world.cli("review", runId, "--import", file, "--json");
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      "0 accepted, 1 rejected, 16 left undecided, 32 unchanged, 1 changed from an earlier decision",
    );
    // --json carries the same summary beside the proposals.
    const printed = JSON.parse(imported.stdout) as { imported: unknown; proposals: unknown[] };
    expect(printed.imported).toEqual({
      file,
      accepted: 0,
      rejected: 1,
      undecided: 16,
      unchanged: 32,
      notInFile: 0,
      matchedFromEarlierPlan: 0,
      flips: [
        {
          proposal: Number(flipped.proposal),
          pageId: flipped.page_id,
          property: "projectId",
          from: "accepted",
          to: "rejected",
        },
      ],
      unmatched: [],
    });
    expect(printed.proposals).toHaveLength(49);
    expect(imported.stderr).toMatch(
      new RegExp(
        `Changed from an earlier decision:\\n  #${flipped.proposal} wt_phase_database / .+ projectId \\[phase-project-by-code\\]: accepted → rejected`,
      ),
    );

    const undone = await world.cli(
      "review",
      runId,
      "--undecide",
      flipped.proposal ?? "",
      "--undecide",
      "project-id-from-code",
    );
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stderr).toContain("1 set back to undecided, 16 already so");
    const row = proposals(runId).find((candidate) => String(candidate.id) === flipped.proposal);
    expect(row).toMatchObject({ status: "for_review", decidedBy: null, changeId: null });
    const back = await world.cli("review", runId, "--undecide", "phase-project-by-code");
    expect(back.code, back.stderr).toBe(0);
    expect(statuses(runId)).toEqual(new Set(["for_review"]));
    const changes = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT count(*) FROM changes WHERE run_id = ?")
          .pluck()
          .get(runId) as number,
    );
    expect(changes).toBe(5);
  });
});

describe("review --import: a CSV file a spreadsheet mangled", () => {
  it("says what is wrong with a truncated or header-only file, and reads a semicolon-separated one", async () => {
    const runId = await planned();
    const { file, header, rows } = await exported(runId);
    const text = readFileSync(file, "utf8");

    const cut = join(world.project.dir, "cut.csv");
    const lines = text.split("\r\n");
    const lastLine = lines[5] ?? "";
    writeFileSync(cut, [...lines.slice(0, 5), lastLine.slice(0, 12)].join("\r\n"));
    const truncated = await world.cli("review", runId, "--import", cut);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(
      /row 6 has \d+ cells? where the header has 14 \(the file looks cut short/,
    );
    expect(truncated.stderr).toContain("save the file whole again");
    const inQuote = join(world.project.dir, "cut-in-quote.csv");
    writeFileSync(inQuote, text.slice(0, text.indexOf('"', text.indexOf("\r\n")) + 5));
    const openQuote = await world.cli("review", runId, "--import", inQuote);
    expect(openQuote.code).toBe(2);
    expect(openQuote.stderr).toMatch(/is never closed \(the file looks cut short\)/);

    const headerOnly = join(world.project.dir, "header.csv");
    writeFileSync(headerOnly, `${lines[0] ?? ""}\r\n`);
    const empty = await world.cli("review", runId, "--import", headerOnly);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(
      "holds no proposal rows (only its header); nothing was imported",
    );
    expect(empty.stderr).toContain(`notion-mirror review ${runId} --export FILE --force`);

    const semicolons = join(world.project.dir, "semicolons.csv");
    for (const row of rows) row.decision = row.rule === "project-id-from-code" ? "accept" : "";
    const quoted = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
    writeFileSync(
      semicolons,
      [header, ...rows.map((row) => header.map((column) => row[column] ?? ""))]
        .map((record) => record.map(quoted).join(";"))
        .join("\r\n"),
    );
    const read = await world.cli("review", runId, "--import", semicolons);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stderr).toContain(
      `Imported ${semicolons} (read as semicolon-separated): 16 accepted, 0 rejected, 33 left undecided`,
    );
    expect(statuses(runId)).toEqual(new Set(["for_review", "accepted"]));

    const neither = join(world.project.dir, "neither.csv");
    writeFileSync(neither, "id\tchoice\n1\taccept\n");
    const refused = await world.cli("review", runId, "--import", neither);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'its first line is not a header naming the "proposal" and "decision" columns',
    );
  });
});

describe("CSV cells a spreadsheet would run as formulas", () => {
  it("are exported with a leading ' and the decided file imports back exactly", async () => {
    const pageId = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT page_id FROM wt_projects WHERE project_id IS NULL AND code IS NOT NULL")
          .pluck()
          .get() as string,
    );
    const title = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare(
            "SELECT p.name FROM properties AS p JOIN data_sources AS d ON d.id = p.data_source_id WHERE d.alias = 'wt_projects' AND p.type = 'title'",
          )
          .pluck()
          .get() as string,
    );
    // A person names a project as a formula a spreadsheet would run.
    const formula = '=HYPERLINK("https://example.com/x","PRJ")';
    world.session.emulator.editAsPerson({
      pageId,
      properties: { [title]: { title: [{ text: { content: formula } }] } },
    });
    await world.project.pull();
    const runId = await planned();
    const file = join(world.project.dir, "formula.csv");
    expect((await world.cli("review", runId, "--export", file)).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain(`"'=HYPERLINK(""https://example.com/x"",""PRJ"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const { header, rows } = readCsv(file);
    const row = rows.find((candidate) => candidate.page_id === pageId);
    expect(row?.page).toBe(formula);
    for (const each of rows) each.decision = each === row ? "accept" : "";
    writeRows(file, header, rows);
    const imported = await world.cli("review", runId, "--import", file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(proposals(runId).find((candidate) => candidate.pageId === pageId)?.status).toBe(
      "accepted",
    );
  });

  it("are written as text and read back exactly", () => {
    const cells = ["=1+1", "+SUM(A1)", "-5", "@cmd", "\tx", "\rx", "'kept", "''", "plain"];
    const text = writeCsv(
      ["value"],
      cells.map((cell) => [cell]),
    );
    const written = parseCsv(text.replaceAll("'", "#"))
      .slice(1)
      .map(([cell]) => cell);
    expect(written.slice(0, 6)).toEqual(cells.slice(0, 6).map((cell) => `#${cell}`));
    expect(
      parseCsv(text)
        .slice(1)
        .map(([cell]) => cell),
    ).toEqual(cells);
  });
});
