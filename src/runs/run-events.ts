import { userInfo } from "node:os";
import { eq } from "drizzle-orm";
import type { Mirror } from "../mirror/open-mirror.ts";
import { runEvents } from "../mirror/schema.ts";

/** What had moved in one data source a run's rules read, in words. */
export interface MovedInputRecord {
  alias: string;
  what: string[];
}

/** One recorded event of a run, as `runs show` reports it. */
export interface RunEvent {
  at: string;
  by: string;
  kind: "pushed_despite_moved_inputs";
  /** The inputs that had moved when the push went ahead anyway. */
  moved: MovedInputRecord[];
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}

/**
 * Records that a push of run `runId` went ahead (`--ignore-moved-inputs`) though a pull had moved
 * these inputs since the plan or its last push invocation: who, when and what had moved.
 */
export function recordPushedDespiteMoved(
  mirror: Mirror,
  runId: string,
  moved: readonly MovedInputRecord[],
  now: Date = new Date(),
): void {
  mirror.db
    .insert(runEvents)
    .values({
      runId,
      at: now.toISOString(),
      by: osUser(),
      kind: "pushed_despite_moved_inputs",
      detailJson: JSON.stringify(moved.map(({ alias, what }) => ({ alias, what }))),
    })
    .run();
}

/** The recorded events of a run, oldest first. */
export function runEventsOf(mirror: Mirror, runId: string): RunEvent[] {
  return mirror.db
    .select()
    .from(runEvents)
    .where(eq(runEvents.runId, runId))
    .orderBy(runEvents.id)
    .all()
    .map((row) => ({
      at: row.at,
      by: row.by,
      kind: row.kind,
      moved: JSON.parse(row.detailJson) as MovedInputRecord[],
    }));
}
