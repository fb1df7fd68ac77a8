import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

/**
 * `notion-mirror demo <args>` through the real CLI entry in this process, with stdout and stderr
 * captured: each alone, and both as they were written, interleaved.
 */
async function runDemo(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; output: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const both: string[] = [];
  const original = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const into = (sink: string[]) =>
    ((chunk: string | Uint8Array) => {
      sink.push(String(chunk));
      both.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = into(out);
  process.stderr.write = into(err);
  let code: number;
  try {
    code = await main(["node", "notion-mirror", "demo", ...args]);
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
  return { code, stdout: out.join(""), stderr: err.join(""), output: both.join("") };
}

describe("notion-mirror demo", () => {
  it("runs the whole job on the demo workspace and proves every claim of the summary", async () => {
    const { code, output } = await runDemo(["--rate-limit", "off", "--latency", "0"]);
    expect(output, output).not.toContain("✘");
    expect(code).toBe(0);
    for (const claim of [
      "12 canonical data sources mirrored, 105 records",
      '5 status fields filled with "Active"',
      "0 overwrites",
      "16 projectID and 33 projectId items left for review",
      "49 proposals exported and decided in the file: 30 accepted and pushed with the status fills, 3 rejected and 16 undecided, none of them sent",
      "tracker entry written",
      "restored the workspace exactly",
      "requests spoke Notion-Version 2026-03-11",
    ]) {
      expect(output).toContain(claim);
    }
  }, 90_000);

  it("--json prints the result and every proof as JSON on stdout, the steps on stderr", async () => {
    const { code, stdout, stderr } = await runDemo([
      "--json",
      "--rate-limit",
      "off",
      "--latency",
      "0",
    ]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as {
      ok: boolean;
      failedStep: string | null;
      requests: number;
      proofs: Array<{ id: string; ok: boolean; text: string; figures: Record<string, unknown> }>;
    };
    expect(result.ok).toBe(true);
    expect(result.failedStep).toBeNull();
    expect(result.requests).toBeGreaterThan(0);
    expect(result.proofs.map((proof) => [proof.id, proof.ok])).toEqual([
      ["mirrored", true],
      ["filled", true],
      ["overwrites", true],
      ["review", true],
      ["decisions", true],
      ["tracker", true],
      ["revert", true],
      ["version", true],
    ]);
    const figures = Object.fromEntries(result.proofs.map((proof) => [proof.id, proof.figures]));
    expect(figures.mirrored).toEqual({ dataSources: 12, records: 105 });
    expect(figures.overwrites).toEqual({ overwrites: 0 });
    expect(figures.review).toEqual({ projectID: 16, projectId: 33 });
    expect(figures.decisions).toEqual({
      proposals: 49,
      accepted: 30,
      rejected: 3,
      undecided: 16,
      pushed: 30,
      sentAnyway: 0,
    });
    // What the steps print (the plan's diff, the push's table) went to stderr, with the summary.
    expect(stderr).toContain("step 4/9: notion-mirror plan");
    expect(stderr).toMatch(/step 5\/9: notion-mirror review \S+ --export \S+proposals\.csv/);
    expect(stderr).toContain("Wrote 49 proposals to ");
    expect(stderr).toMatch(/step 7\/9: notion-mirror review \S+ --import /);
    expect(stderr).toContain("30 accepted, 3 rejected, 0 unchanged, 16 left undecided");
    expect(stderr).toMatch(
      /Planned run \S+\.\s+Next: notion-mirror (review \S+ \(decide the \d+ proposals\), then notion-mirror )?push/,
    );
    expect(stderr).toContain("restored the workspace exactly");
  }, 90_000);

  it("paces its emulator by Notion's window of most plans unless told otherwise", async () => {
    const { code, stdout, stderr } = await runDemo(["--json", "--latency", "0"]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("Notion's pace: 180 requests per 60 s window, 0 ms per request");
    const result = JSON.parse(stdout) as { ok: boolean; requests: number };
    expect(result.ok).toBe(true);
    // The whole demo fits one window of the budget: Notion would never hold it back.
    expect(result.requests).toBeLessThanOrEqual(180);
  }, 90_000);
});

describe("notion-mirror demo under each Notion version", () => {
  // 2026-12-01 lists pages with their title only unless the pull names the properties it
  // mirrors (filter_properties): this case holds once the pull sends them.
  it.each(["2025-09-03", "2026-03-11", "2026-12-01"])(
    "init, pull, scan, plan, push and revert all speak %s, and every claim holds",
    async (version) => {
      const ran = await runDemo([
        "--json",
        "--notion-version",
        version,
        "--rate-limit",
        "off",
        "--latency",
        "0",
      ]);
      const result = JSON.parse(ran.stdout) as {
        ok: boolean;
        failedStep: string | null;
        proofs: Array<{ id: string; ok: boolean; figures: Record<string, unknown> }>;
      };
      expect(result.failedStep, ran.stderr).toBeNull();
      expect(
        result.proofs.filter((proof) => !proof.ok),
        ran.stderr,
      ).toEqual([]);
      expect(result.proofs.map((proof) => proof.id)).toEqual([
        "mirrored",
        "filled",
        "overwrites",
        "review",
        "decisions",
        "tracker",
        "revert",
        "version",
      ]);
      expect(result.proofs.find((proof) => proof.id === "version")?.figures).toMatchObject({
        notionVersion: version,
        otherVersions: 0,
      });
      expect(result.ok).toBe(true);
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain(`Notion-Version ${version}`);
    },
    120_000,
  );
});
