import type { Command } from "commander";
import { paint } from "../../report/paint.ts";
import { openMirrorReadOnly } from "../../mirror/open-read-only.ts";
import { readableDate } from "../../report/peoples-terms.ts";
import type { VerifyResult } from "../../review/verify-run.ts";
import { verifyRun } from "../../review/verify-run.ts";
import { notionApi, projectConfig } from "../context.ts";
import { counted } from "../../util/plural.ts";
import { neverWroteError } from "../../runs/never-wrote.ts";
import { checkRunId } from "../../runs/run-id.ts";
import { requireRun } from "../../runs/run-store.ts";

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description(
      "Read a run's pages live and report per change whether it still holds what the run wrote, was changed since (by whom, when, both values), or its page was trashed; writes nothing. Exit 3 when anything moved.",
    )
    .argument("<run-id>", "the run whose writes to check")
    .option("--json", "print the result as JSON")
    .action(async (runId: string, flags: { json?: boolean }, command: Command) => {
      const config = projectConfig(command);
      const sqlite = openMirrorReadOnly(config.mirrorPath);
      try {
        const never = neverWroteError(requireRun(sqlite, checkRunId(runId)), "verify");
        if (never) throw never;
        const result = await verifyRun(sqlite, notionApi(config), runId);
        process.stdout.write(
          flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderVerify(result),
        );
        if (result.counts.changed + result.counts.trashed + result.counts.gone > 0)
          process.exitCode = 3;
      } finally {
        sqlite.close();
      }
    });
}

function renderVerify(result: VerifyResult): string {
  const lines: string[] = [];
  for (const change of result.changes) {
    const page = `${change.database} / ${change.pageTitle} ${paint().dim(change.pageId)}`;
    if (change.state === "as_written") {
      lines.push(`${paint().green("=")} ${page}: ${change.property} still as written`);
      continue;
    }
    const who = change.editedBy ? (change.editedBy.name ?? change.editedBy.id) : "?";
    const when = change.editedAt ? readableDate(change.editedAt) : "?";
    if (change.state === "changed")
      lines.push(
        `${paint().yellow("~")} ${page}: ${change.property} changed since, last edited by ${who} on ${when}: ${change.writtenText} → ${change.nowText}`,
      );
    else if (change.state === "trashed")
      lines.push(`${paint().red("x")} ${page}: in the trash (last edited by ${who} on ${when})`);
    else lines.push(`${paint().red("?")} ${page}: no longer visible to the integration`);
  }
  const { counts } = result;
  lines.push(
    `Run ${result.runId}: ${counted(result.checked, "change")} checked: ${counts.as_written} still as written, ${counts.changed} changed since, ${counts.trashed} trashed, ${counts.gone} no longer visible${result.notWritten > 0 ? `; ${result.notWritten} not written by the run (skipped, failed, planned or reverted)` : ""}; ${counted(result.requests, "request")}. Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}
