import type { PushOptions, PushResult } from "../../../src/apply/push.ts";
import { pushRun, selectPushRun } from "../../../src/apply/push.ts";
import type { ProjectConfig } from "../../../src/config/project-config.ts";
import { planRun } from "../../../src/fill/plan-run.ts";
import { ruleText, withRules } from "../../fill/plan-seed.ts";
import type { PulledWorld } from "../../support/pulled-world.ts";
import { openPulledWorld } from "../../support/pulled-world.ts";
import { saveRewindPoint } from "../../support/rewind-point.ts";
import type { TasksWorkspace } from "./tasks-workspace.ts";
import { tasksWorkspace } from "./tasks-workspace.ts";

type Obj = Record<string, unknown>;

/**
 * The tasks workspace pulled into a project, with a way back to that moment before each scenario
 * and a way to plan one rule ("fill `property` of every task where it is empty with `value`").
 */
export interface TasksWorld extends PulledWorld {
  tasks: TasksWorkspace;
  /** Back to just after the pull: Notion, mirror, no snapshots, no faults, empty log. */
  reset(): void;
  /** Plans one rule; returns the run id. */
  plan(rule: { property: string; value: string; allowNewOption?: boolean }): Promise<string>;
  push(runId: string, options?: PushOptions, config?: ProjectConfig): Promise<PushResult>;
  /** The live schema options of a property, in order. */
  options(property: string): Array<{ id: string; name: string }>;
  /** The live value of a property of a page (its `[type]` part). */
  value(pageId: string, property: string): unknown;
}

export async function tasksWorld(pages = 16): Promise<TasksWorld> {
  const tasks = tasksWorkspace(pages);
  const pulled = await openPulledWorld({ seed: tasks.seed });
  const { session, project } = pulled;
  let rules = 0;
  return {
    ...pulled,
    tasks,
    reset: saveRewindPoint(session, project, "pulled"),
    async plan({ property, value, allowNewOption }) {
      rules += 1;
      const column = property.toLowerCase();
      const header: Record<string, string> = {
        rule: `fill-${column}-${rules}`,
        target: `tasks.${column}`,
        confidence: "high",
      };
      if (allowNewOption) header["allow-new-option"] = "yes";
      const config = withRules(project.config, {
        "fill.sql": ruleText(
          header,
          `SELECT page_id, '${value}' AS value FROM tasks WHERE ${column} IS NULL`,
        ),
      });
      const planned = await planRun(config, {});
      if (!planned.runId) throw new Error(`nothing planned for ${property}`);
      return planned.runId;
    },
    async push(runId, options = {}, config = project.config) {
      const mirror = project.openMirror();
      try {
        return await pushRun(config, mirror, project.api(), selectPushRun(mirror, runId), options);
      } finally {
        mirror.close();
      }
    },
    options(property) {
      const source = session.emulator.workspace().dataSources.get(tasks.dataSourceId) as Obj;
      const schema = (source.properties as Record<string, Obj>)[property] as Obj;
      return (schema[String(schema.type)] as { options: Array<{ id: string; name: string }> })
        .options;
    },
    value(pageId, property) {
      const page = session.emulator.workspace().pages.get(pageId) as Obj;
      const value = (page.properties as Record<string, Obj>)[property] as Obj;
      return value[String(value.type)];
    },
  };
}
