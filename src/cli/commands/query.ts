import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import type { Command } from "commander";
import { NotionMirrorError } from "../../errors.ts";
import { openMirrorQuery } from "../../report/query-mirror.ts";
import type { QueryFormat } from "../../report/query-output.ts";
import {
  QUERY_FORMATS,
  cellText,
  csvRecord,
  jsonRecord,
  uniqueKeys,
} from "../../report/query-output.ts";
import { projectConfig } from "../context.ts";
import { wholeNumber } from "../options.ts";
import { renderTable } from "../table.ts";
import { counted } from "../../util/plural.ts";

/** A table needs every row before it can print: without --max-rows it shows at most this many. */
const TABLE_ROW_CAP = 1000;

interface QueryFlags {
  file?: string;
  format?: QueryFormat;
  json?: boolean;
  maxRows?: number;
}

export function registerQueryCommand(program: Command): void {
  program
    .command("query")
    .argument("[sql]", 'one SELECT over the views (named by alias); "-" reads it from stdin')
    .description(
      "Run one read-only SQL query on the mirror and print its rows: a table on a terminal, CSV when piped, or --format table|csv|json|ndjson. The SQL comes from the argument, --file, or stdin.",
    )
    .option("-f, --file <file>", "read the SQL from this file")
    .option("--format <format>", "table, csv, json (an array of objects) or ndjson", formatOption)
    .option("--json", "same as --format json")
    .option("--max-rows <n>", "stop after N rows", wholeNumber("--max-rows", 0))
    .action(async (sqlArgument: string | undefined, flags: QueryFlags, command: Command) => {
      const sql = await readSql(sqlArgument, flags.file);
      const config = projectConfig(command);
      const format: QueryFormat =
        flags.format ?? (flags.json ? "json" : process.stdout.isTTY ? "table" : "csv");
      const maxRows = flags.maxRows ?? (format === "table" ? TABLE_ROW_CAP : undefined);
      const query = openMirrorQuery(config.mirrorPath, sql, { maxRows });
      try {
        const out = new StdoutStream();
        let count = 0;
        if (format === "table") {
          const rows: string[][] = [];
          for (const row of query.rows()) rows.push(row.map((value) => cellText(value, "NULL")));
          count = rows.length;
          await out.write(renderTable(query.columns, rows));
        } else {
          const keys = uniqueKeys(query.columns);
          if (format === "csv") await out.write(csvRecord(query.columns));
          if (format === "json") await out.write("[");
          for (const row of query.rows()) {
            if (out.closed) break;
            const text =
              format === "csv"
                ? csvRecord(row)
                : format === "json"
                  ? `${count === 0 ? "\n" : ",\n"}  ${jsonRecord(keys, row, query.jsonColumns)}`
                  : `${jsonRecord(keys, row, query.jsonColumns)}\n`;
            count += 1;
            await out.write(text);
          }
          if (format === "json") await out.write(count === 0 ? "]\n" : "\n]\n");
        }
        await out.end();
        if (query.truncated) {
          process.stderr.write(
            `Stopped after ${counted(count, "row")}${flags.maxRows === undefined ? " (a table shows at most 1000; use --max-rows N or --format csv)" : " (--max-rows)"}.\n`,
          );
        } else if (process.stderr.isTTY) {
          process.stderr.write(`${counted(count, "row")}.\n`);
        }
      } finally {
        query.close();
      }
    });
}

function formatOption(raw: string): QueryFormat {
  const format = QUERY_FORMATS.find((name) => name === raw.trim().toLowerCase());
  if (!format) {
    throw new InvalidArgumentError(
      `--format takes ${QUERY_FORMATS.join(", ")}; not ${JSON.stringify(raw)}.`,
    );
  }
  return format;
}

/** The SQL from the argument, the file, or stdin ("-", or no argument with stdin not a terminal). */
async function readSql(argument: string | undefined, file: string | undefined): Promise<string> {
  if (argument !== undefined && file !== undefined) {
    throw new NotionMirrorError(
      "usage",
      "Give the SQL either as an argument or with --file, not both.",
    );
  }
  if (file !== undefined) {
    const path = resolve(file);
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new NotionMirrorError(
        "usage",
        `Cannot read the SQL file ${path}: ${(error as Error).message}`,
      );
    }
  }
  if (argument !== undefined && argument !== "-") return argument;
  if (argument === undefined && process.stdin.isTTY) {
    throw new NotionMirrorError(
      "usage",
      "No SQL given.",
      'Try: notion-mirror query "SELECT * FROM <alias> LIMIT 10", --file query.sql, or pipe the SQL to stdin.',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * stdout written in chunks of about 64 KiB, waiting for "drain" so memory stays flat however many
 * rows stream through; a closed pipe (`| head`) stops the output quietly.
 */
class StdoutStream {
  closed = false;
  private buffer: string[] = [];
  private size = 0;

  constructor() {
    // A reader that went away (`| head`: EPIPE) or any other broken stdout: stop, quietly.
    process.stdout.on("error", () => {
      this.closed = true;
    });
  }

  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.buffer.join("");
    this.buffer = [];
    this.size = 0;
    if (this.closed || text === "") return;
    if (!process.stdout.write(text)) {
      await new Promise<void>((done) => {
        const finish = () => {
          process.stdout.off("drain", finish);
          process.stdout.off("close", finish);
          done();
        };
        process.stdout.once("drain", finish);
        process.stdout.once("close", finish);
      });
    }
  }
}
