import type { JsonObject } from "../../json.ts";
import type { DemoSourceKey } from "./demo-facts.ts";
import type { DemoPeople } from "./demo-people.ts";
import { userValue } from "../users.ts";
import type { DataSourceHandle, WorkspaceBuilder } from "../workspace-builder.ts";

/** What the demo's page generators share. */
export interface DemoContext {
  ws: WorkspaceBuilder;
  people: DemoPeople;
  source(key: DemoSourceKey): DataSourceHandle;
}

/** A people property value naming these users. */
export function peopleValue(...users: JsonObject[]): JsonObject[] {
  return users.map(userValue);
}

export function userId(user: JsonObject): string {
  return String(user.id);
}

/** Page keys, so generators can point at pages other generators add. */
export const pageKey = {
  client: (i: number) => `client:${i}`,
  member: (person: string) => `member:${person}`,
  project: (i: number) => `project:${i}`,
  phase: (i: number) => `phase:${i}`,
  milestone: (i: number) => `milestone:${i}`,
  task: (i: number) => `task:${i}`,
  sprint: (i: number) => `sprint:${i}`,
};
