import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

describe("notion-mirror demo", () => {
  it("runs the whole job on the demo workspace and proves every claim of the summary", async () => {
    const written: string[] = [];
    const original = {
      out: process.stdout.write.bind(process.stdout),
      err: process.stderr.write.bind(process.stderr),
    };
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(["node", "notion-mirror", "demo", "--rate-limit", "off", "--latency", "0"]);
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    }
    const output = written.join("");
    expect(output, output).not.toContain("✘");
    expect(code).toBe(0);
    for (const claim of [
      "12 canonical data sources mirrored, 105 records",
      '5 status fields filled with "Active"',
      "0 overwrites",
      "16 projectID and 33 projectId items left for review",
      "tracker entry written",
      "restored the workspace exactly",
    ]) {
      expect(output).toContain(claim);
    }
  }, 90_000);
});
