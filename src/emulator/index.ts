/**
 * The emulator's public face: what the CLI, the bench, the scripts and the tests use of it.
 * Start one with a seed (`startEmulator`), build a seed (`demoWorkspace`, `scaleWorkspace`, or a
 * `WorkspaceBuilder` of your own), read one from a file (`readSeedFile`). Everything else under
 * `src/emulator/` is its inside, free to change; the emulator's own tests may reach it directly.
 *
 * @example
 * const emulator = await startEmulator({ seed: demoWorkspace() });
 * // point @notionhq/client (or NOTION_BASE_URL) at emulator.url, then:
 * await emulator.close();
 */
export type { Emulator, EmulatorOptions, RateLimit, WorkspaceRateLimit } from "./emulator.ts";
export { startEmulator } from "./emulator.ts";
/** A clock that moves only when told (`EmulatorOptions.clock`): cursor ages, edit times. */
export { ManualClock } from "./clock.ts";
export { NOTION_BUDGETS } from "./rate-limit.ts";

export type { SeedFile } from "./seed-file.ts";
export { parseSeed, readSeedFile } from "./seed.ts";
export type { Json, JsonObject } from "./json.ts";

export type { FaultAction, FaultRule, PersonEdit } from "./faults.ts";
/** A person's edit of a data source's schema (`Emulator.editSchemaAsPerson`, a `mutate` fault). */
export type { SchemaEdit } from "./schema-edits.ts";
/**
 * A page created in a workspace (`Emulator.workspace()`) as `actor` would create it in Notion's
 * UI, at once, between two requests: a page that appears while an integration is at work.
 */
export { createPage } from "./page-writes.ts";
export type { RequestLogEntry } from "./request-log.ts";
export type { JournalEntry } from "./write-journal.ts";
/** Notion's JSON for a seed's pages and lists, as the emulator answers them. */
export { listEnvelope, renderPage } from "./render.ts";

export { demoWorkspace } from "./workspaces/demo/demo-workspace.ts";
export type { DemoSourceKey } from "./workspaces/demo/demo-facts.ts";
export {
  DEMO_DATA_SOURCES,
  DEMO_FACTS,
  DEMO_PAGE_COUNTS,
  DEMO_PROPERTIES,
} from "./workspaces/demo/demo-facts.ts";
export { scaleWorkspace } from "./workspaces/scale-workspace.ts";

/** The kit for a workspace of one's own. */
export { WorkspaceBuilder } from "./workspaces/workspace-builder.ts";
export type { PropertySpec } from "./workspaces/schema.ts";
export { statusGroups } from "./workspaces/schema.ts";
export { databaseObject } from "./workspaces/objects.ts";
export {
  dateValue,
  filesValue,
  formulaValue,
  multiSelectValue,
  optionValue,
  relationValue,
  rollupNumberValue,
} from "./workspaces/property-values.ts";
export { textItem } from "./workspaces/rich-text.ts";
export { botUser, personUser, userValue } from "./workspaces/users.ts";
