import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FACTS, demoWorkspace } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator();
});
afterAll(() => session.stop());
afterEach(() => {
  project?.remove();
  session.emulator.reseed(demoWorkspace());
});

const SCHEMA_READ = /^\/v1\/data_sources\/([^/?]+)$/;
const QUERY = /^\/v1\/data_sources\/([^/?]+)\/query/;

describe("a pull of many data sources", () => {
  it("begins two per request in flight at a time, so that each one's query follows its schema read", async () => {
    project = createProject(session);
    const start = session.emulator.log.all().length;
    const { summary } = await project.pull({ api: project.api({ concurrency: 1 }) });
    expect(summary.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);

    // Data sources whose schema was read and whose query was not yet sent, at each schema read:
    // with one request in flight, a data source begins only when one of the two before it ended.
    const waiting = new Set<string>();
    let most = 0;
    let schemaReads = 0;
    for (const entry of session.emulator.log.all().slice(start)) {
      const schema = SCHEMA_READ.exec(entry.path)?.[1];
      const query = QUERY.exec(entry.path)?.[1];
      if (entry.method === "GET" && schema) {
        schemaReads += 1;
        waiting.add(schema);
        most = Math.max(most, waiting.size);
      } else if (entry.method === "POST" && query) {
        waiting.delete(query);
      }
    }
    expect(schemaReads).toBe(DEMO_FACTS.canonicalDataSources);
    expect(most).toBe(2);
  });
});
