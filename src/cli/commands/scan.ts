import type { Command } from "commander";
import { openMirrorReadOnly } from "../../mirror/open-mirror.ts";
import type { CanonicalModel, ModelDataSource, ModelProperty } from "../../report/scan.ts";
import { lastPullAt, scanMirror } from "../../report/scan.ts";
import { stableJson, writeCanonicalModel } from "../../report/scan-model-file.ts";
import { projectConfig } from "../context.ts";
import { renderTable } from "../table.ts";
import { counted } from "../../util/plural.ts";

/** Options listed in a table cell before "+N more". */
const OPTIONS_SHOWN = 6;

export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description(
      "Describe the canonical databases from the mirror alone: per property its type, view column, whether it can be filled, empty count and share, option counts, relation target, formula and rollup values Notion reports as unsupported.",
    )
    .option("--json", "print the model as JSON")
    .option(
      "--out <file>",
      "also write the model as stable, diffable JSON (e.g. canonical-db-model.json)",
    )
    .action((flags: { json?: boolean; out?: string }, command: Command) => {
      const config = projectConfig(command);
      const sqlite = openMirrorReadOnly(config.mirrorPath);
      let model: CanonicalModel;
      let pulledAt: string | null;
      try {
        model = scanMirror(config, sqlite);
        pulledAt = lastPullAt(sqlite);
      } finally {
        sqlite.close();
      }
      const last = pulledAt
        ? `Mirror last pulled ${pulledAt}.`
        : "Never pulled: run notion-mirror sync pull.";
      process.stdout.write(flags.json ? stableJson(model) : `${renderModel(model)} ${last}\n`);
      if (flags.out) {
        const path = writeCanonicalModel(flags.out, model);
        process.stderr.write(`Wrote the canonical model to ${path}.\n`);
      }
      // The pull time is not in the model (two scans of an unchanged workspace are identical).
      if (flags.json || flags.out) process.stderr.write(`${last}\n`);
    });
}

function renderModel(model: CanonicalModel): string {
  const blocks = model.dataSources.map(renderDataSource);
  const { totals } = model;
  return `${blocks.join("\n")}\n${counted(totals.dataSources, "data source")}, ${counted(totals.liveRecords, "live record")}, ${counted(totals.properties, "property", "properties")}; ${counted(totals.fillableEmpty, "empty value")} in fillable properties.`;
}

/** What the mirror's completeness adds to a data source's heading. */
function mirrorNote(source: ModelDataSource): string {
  if (source.mirror === "complete") return " (the mirror holds every page)";
  if (source.mirror === "unknown")
    return " (completeness not checked: pulled by an older notion-mirror; run sync pull --full)";
  return "";
}

function renderDataSource(source: ModelDataSource): string {
  const heading = `${source.alias} — ${source.title ?? "(never pulled)"}: ${counted(source.livePages, "live page")}${mirrorNote(source)}\n`;
  if (source.properties.length === 0) return heading;
  const rows = [...source.properties]
    .sort(fillableEmptiesFirst)
    .map((property) => [
      property.name,
      property.type,
      property.columns.join(", "),
      fillText(property),
      property.fillable || property.empty > 0 ? property.empty : "-",
      property.fillable || property.empty > 0 ? `${(property.emptyShare * 100).toFixed(1)}%` : "-",
      detailText(property),
    ]);
  return (
    heading +
    renderTable(["property", "type", "column", "fill", "empty", "share", "values / target"], rows)
  );
}

/** Fillable properties with empties first (most empties first), then fillable, then the rest. */
function fillableEmptiesFirst(a: ModelProperty, b: ModelProperty): number {
  const rank = (property: ModelProperty) => (property.fillable ? (property.empty > 0 ? 0 : 1) : 2);
  return rank(a) - rank(b) || (rank(a) === 0 ? b.empty - a.empty : 0);
}

function fillText(property: ModelProperty): string {
  if (property.fillable) return "fillable";
  return property.writable ? "never empty" : "read-only";
}

function detailText(property: ModelProperty): string {
  if (property.unsupported) return `${property.unsupported} unsupported by Notion (NULL)`;
  if (property.relation) {
    const { target, canonical } = property.relation;
    return `→ ${target}${canonical ? "" : " (not canonical)"}`;
  }
  if (!property.options) return "";
  const shown = property.options
    .slice(0, OPTIONS_SHOWN)
    .map((option) => `${option.name} ${option.count}${option.inSchema ? "" : " (not in schema)"}`);
  const more = property.options.length - shown.length;
  return shown.join(", ") + (more > 0 ? `, +${more} more` : "");
}
