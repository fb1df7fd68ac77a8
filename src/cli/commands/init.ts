import type { Command } from "commander";
import { buildConfig, writeConfig } from "../../config/write-config.ts";
import { NotionMirrorError } from "../../errors.ts";
import { installDemoRules } from "../../fill/demo-rules.ts";
import { demoWorkspace } from "../../emulator/index.ts";
import type { NotionVersion } from "../../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../../notion/api-version.ts";
import { globalFlags, notionApi } from "../context.ts";
import { notionVersionOption } from "../options.ts";
import { renderTable } from "../table.ts";
import { plainText } from "../../notion/codec/index.ts";
import { counted } from "../../util/plural.ts";

const TRACKER_TITLE = "wt-backfill-task-tracker";

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description(
      "Write notion-mirror.json: the data sources shared with your integration (or, with --demo, those of the emulator's demo workspace), each with a SQL alias.",
    )
    .option("--demo", "write the config for the emulator's demo workspace (no token needed)")
    .option("--force", "replace an existing config file")
    .option(
      "--notion-version <version>",
      `the Notion API version to speak, written to the config (default ${DEFAULT_NOTION_VERSION})`,
      notionVersionOption,
      DEFAULT_NOTION_VERSION,
    )
    .option("--json", "print the written config as JSON")
    .action(
      async (
        flags: { demo?: boolean; force?: boolean; json?: boolean; notionVersion: NotionVersion },
        command: Command,
      ) => {
        const file = globalFlags(command).config;
        const sources = flags.demo
          ? demoDataSources()
          : await discoverDataSources(flags.notionVersion);
        const tracker = sources.find((source) => source.title === TRACKER_TITLE);
        const content = buildConfig(sources, { tracker, notionVersion: flags.notionVersion });
        const config = writeConfig(file, content, flags.force);
        const rules = flags.demo ? installDemoRules(config.fillsDir) : [];
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(content, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          renderTable(
            ["alias", "data source", "id"],
            content.dataSources.map((source) => [source.alias, source.name ?? "", source.id]),
          ),
        );
        process.stderr.write(
          `Wrote ${config.file}: ${counted(content.dataSources.length, "data source")}${tracker ? `, tracker "${tracker.title}"` : ""}.\n` +
            (rules.length > 0
              ? `Wrote ${counted(rules.length, "demo fill rule")} to ${config.fillsDir}.\n`
              : "") +
            "Rename aliases there if you like (they name the SQL views), then run: notion-mirror sync pull\n",
        );
      },
    );
}

function demoDataSources(): Array<{ id: string; title: string }> {
  return demoWorkspace().data_sources.map((source) => ({
    id: String(source.id),
    title: Array.isArray(source.title)
      ? source.title
          .map((item) =>
            item && typeof item === "object" && !Array.isArray(item)
              ? String(item.plain_text ?? "")
              : "",
          )
          .join("")
      : "",
  }));
}

async function discoverDataSources(
  notionVersion: NotionVersion,
): Promise<Array<{ id: string; title: string }>> {
  const api = notionApi({ notionVersion });
  const { found, complete } = await api.searchDataSources();
  if (!complete) {
    process.stderr.write(
      `Notion listed only the first ${found.length} data sources it shares with the integration (its search answers at most 10,000 results). Add any missing one to notion-mirror.json by its id.\n`,
    );
  }
  if (found.length === 0) {
    throw new NotionMirrorError(
      "not_found",
      "The integration can see no data source.",
      "Share your databases with the integration: open each in Notion → ••• → Connections → add it. Then run init again.",
    );
  }
  return found.map((source) => ({
    id: source.id,
    title: plainText(source.title),
  }));
}
