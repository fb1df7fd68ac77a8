import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { ChangeOutcome, EngineChange, OutcomeRecorder } from "./engine-types.ts";
import type { OptionSchema, SchemaOption, WatchedChange } from "./option-refs.ts";
import { heldOptions, optionRefs, optionSchema } from "./option-refs.ts";

/** A data source's schema as the preflight read it, and the options this run created in it. */
export interface WatchedSource {
  live: Pick<DataSourceObjectResponse, "properties">;
  /** Option ids in `live` that this run's earlier writes created (not in the plan's schema). */
  ownOptions: ReadonlySet<string>;
}

/**
 * Watches the options of the data sources a push writes, between the preflight and the last
 * write: the preflight compared the plan's fingerprint once, but a person can rename, remove or
 * add an option in Notion at any moment of a push, and a write naming an option Notion no longer
 * has makes Notion create it. So, per change that writes options:
 * - an option sent by id (every option the plan saw) must still have the name the plan gave it
 *   in the schema last read; that schema is read again whenever a write's answer shows another
 *   name for an id, or a write of options fails (a removed id is refused by Notion);
 * - an option sent by name (a new one the rule allows) is checked against the schema read right
 *   before the write, so that it is created once at most: a name the plan saw that has gone, or
 *   an option this run created that has since been renamed or removed, refuses the change.
 * The window left is the round trip between that read and the write, as for values; an option
 * renamed inside it is written by id, i.e. the option the plan chose, under its new name.
 */
export class SchemaWatch {
  /** The plan's schema (the preflight's read, less the options this run created). */
  private readonly planned = new Map<string, OptionSchema>();
  /** The schema as last read. */
  private readonly known = new Map<string, OptionSchema>();
  private readonly reading = new Map<string, Promise<OptionSchema>>();
  private readonly stale = new Set<string>();
  /** Options this run created by name: `dataSource/property/name` → option id. */
  private readonly created = new Map<string, string>();
  private readonly changes = new Map<number, WatchedChange>();
  /** Changes this watch refused: their failure tells nothing new about the schema. */
  private readonly refused = new Set<number>();

  constructor(
    private readonly api: NotionApi,
    sources: ReadonlyMap<string, WatchedSource>,
    /** Every change of the run (those settled by an earlier invocation too). */
    changes: readonly WatchedChange[],
  ) {
    for (const [id, source] of sources) {
      const live = optionSchema(source.live);
      const planned: OptionSchema = new Map();
      for (const [property, options] of live)
        planned.set(
          property,
          options.filter((option) => !source.ownOptions.has(option.id)),
        );
      this.planned.set(id, planned);
      this.known.set(id, live);
    }
    for (const change of changes) this.changes.set(change.changeId, change);
  }

  /**
   * Why this change must not be written (an option it names moved since the plan), or undefined.
   * Changes of data sources the watch was not given (a revert's) are not its to judge.
   */
  async refusal(change: EngineChange): Promise<string | undefined> {
    const reason = await this.check(change);
    if (reason) this.refused.add(change.changeId);
    return reason;
  }

  private async check(change: EngineChange): Promise<string | undefined> {
    const refs = optionRefs(change);
    const planned = this.planned.get(change.dataSourceId)?.get(change.propertyId);
    if (refs.length === 0 || !planned) return undefined;
    const byName = refs.some((ref) => ref.name !== undefined);
    const schema = byName
      ? await this.read(change.dataSourceId)
      : await this.current(change.dataSourceId);
    const now = schema.get(change.propertyId);
    if (!now) return undefined; // the property itself is gone: the live page read says so
    const property = change.propertyName;
    for (const ref of refs) {
      if (ref.id !== undefined) {
        const meant = planned.find((option) => option.id === ref.id)?.name ?? ref.id;
        const moved = movedOption(now, ref.id, meant, `option "${meant}" of ${property}`);
        if (moved) return `${moved} in Notion since the plan; nothing written (re-plan)`;
        continue;
      }
      if (now.some((option) => option.name === ref.name)) continue; // the write picks it
      const seen = planned.find((option) => option.name === ref.name);
      if (seen) {
        const subject = `option "${ref.name}" of ${property}`;
        const moved = movedOption(now, seen.id, ref.name, subject) ?? `${subject} is gone`;
        return `${moved} in Notion since the plan; writing its name would create a new option, so nothing was written (re-plan)`;
      }
      const ours = this.created.get(`${change.dataSourceId}/${change.propertyId}/${ref.name}`);
      if (ours) {
        const subject = `option "${ref.name}" this run created in ${property}`;
        const moved = movedOption(now, ours, ref.name, subject) ?? `${subject} is gone`;
        return `${moved} in Notion during the push; it is not created again (re-plan)`;
      }
    }
    return undefined;
  }

  /** Learns from each outcome before passing it on: options created, names that moved. */
  recorder(next: OutcomeRecorder): OutcomeRecorder {
    return {
      record: (outcome) => {
        this.observe(outcome);
        next.record(outcome);
      },
      pageWritten: (page, dataSourceId) => next.pageWritten(page, dataSourceId),
      writing: (pageId) => next.writing(pageId),
    };
  }

  /** What an outcome (of this invocation, or of an earlier one from the snapshot) tells. */
  observe(outcome: Pick<ChangeOutcome, "changeId" | "status" | "after">): void {
    const change = this.changes.get(outcome.changeId);
    const planned = change && this.planned.get(change.dataSourceId)?.get(change.propertyId);
    if (!change || !planned) return;
    const refs = optionRefs(change);
    if (refs.length === 0) return;
    if (outcome.status === "failed") {
      // Notion may have refused an option id that is gone: read the schema before the next one.
      if (!this.refused.has(change.changeId)) this.stale.add(change.dataSourceId);
      return;
    }
    if (outcome.status !== "applied") return;
    const known = this.known.get(change.dataSourceId)?.get(change.propertyId) ?? [];
    for (const held of heldOptions(outcome.after)) {
      const ref = refs.find((candidate) => candidate.name === held.name);
      if (ref && !planned.some((option) => option.id === held.id))
        this.created.set(`${change.dataSourceId}/${change.propertyId}/${held.name}`, held.id);
      const last = known.find((option) => option.id === held.id);
      if (last && last.name !== held.name) this.stale.add(change.dataSourceId);
    }
  }

  /** The schema last read, or the read under way (a change must not pass on what it replaces). */
  private async current(dataSourceId: string): Promise<OptionSchema> {
    const pending = this.reading.get(dataSourceId);
    if (pending) return pending;
    if (this.stale.has(dataSourceId)) return this.read(dataSourceId);
    return this.known.get(dataSourceId) ?? this.read(dataSourceId);
  }

  /** Reads the schema again (one read shared by the changes that ask while it is under way). */
  private read(dataSourceId: string): Promise<OptionSchema> {
    const pending = this.reading.get(dataSourceId);
    if (pending) return pending;
    this.stale.delete(dataSourceId);
    const reading = this.api
      .retrieveDataSource(dataSourceId, `checking the options of data source ${dataSourceId}`)
      .then((source) => {
        const schema = optionSchema(source);
        this.known.set(dataSourceId, schema);
        return schema;
      })
      .finally(() => this.reading.delete(dataSourceId));
    this.reading.set(dataSourceId, reading);
    return reading;
  }
}

/**
 * `<subject> was renamed to "P1"` / `<subject> was removed` for option `id` that was called
 * `meant`, or undefined when it is still there under that name.
 */
function movedOption(
  now: readonly SchemaOption[],
  id: string,
  meant: string,
  subject: string,
): string | undefined {
  const option = now.find((candidate) => candidate.id === id);
  if (!option) return `${subject} was removed`;
  if (option.name !== meant) return `${subject} was renamed to "${option.name}"`;
  return undefined;
}
