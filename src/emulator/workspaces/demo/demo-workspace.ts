import type { SeedFile } from "../../seed-file.ts";
import type { DemoContext } from "./demo-context.ts";
import { userId } from "./demo-context.ts";
import { addDecisions, addRisks } from "./demo-governance.ts";
import { addMilestones, addSprints, addTasks } from "./demo-delivery.ts";
import { DEMO_FACTS } from "./demo-facts.ts";
import type { DemoSourceKey } from "./demo-facts.ts";
import { addClients, addTeamMembers } from "./demo-organisation.ts";
import { demoPeople } from "./demo-people.ts";
import { addPhases } from "./demo-phases.ts";
import { addProjects } from "./demo-projects.ts";
import { addBudgetLines, addDocuments, addMeetings } from "./demo-records.ts";
import { demoSchemas } from "./demo-schemas.ts";
import { addTrackerEntries } from "./demo-tracker.ts";
import { WorkspaceBuilder } from "../workspace-builder.ts";

/**
 * The demo workspace: a project-tracking team's twelve canonical data sources (105 pages) as they
 * stood before the WT-8.0.4 backfill, plus the `wt-backfill-task-tracker`. Deterministic: two calls
 * return deep-equal seeds. See {@link DEMO_FACTS} for what it contains.
 *
 * @example
 * const seed = demoWorkspace();
 * seed.pages.length; // 108 (105 canonical + 3 tracker entries)
 */
export function demoWorkspace(): SeedFile {
  const ws = new WorkspaceBuilder(DEMO_FACTS.seed);
  const people = demoPeople(ws);
  const handles = new Map(
    demoSchemas(userId(people.maya)).map((spec) => [spec.key, ws.dataSource(spec)]),
  );
  const ctx: DemoContext = {
    ws,
    people,
    source(key: DemoSourceKey) {
      const handle = handles.get(key);
      if (!handle) throw new Error(`demo has no data source ${key}`);
      return handle;
    },
  };
  addClients(ctx);
  addTeamMembers(ctx);
  addProjects(ctx);
  addPhases(ctx);
  addMilestones(ctx);
  addTasks(ctx);
  addSprints(ctx);
  addRisks(ctx);
  addDecisions(ctx);
  addMeetings(ctx);
  addDocuments(ctx);
  addBudgetLines(ctx);
  addTrackerEntries(ctx);
  return ws.build(people.integration);
}
