import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The real recorded Notion responses, kept in the repository with their sources and licences
 * (test/fixtures/notion-recorded/SOURCES.md). The suite reads nothing outside the clone.
 */
export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/notion-recorded/", import.meta.url));

export const MISSING_FIXTURES_MESSAGE = `the recorded Notion responses are missing: expected ${FIXTURES_DIR} (test/fixtures/notion-recorded in the repository)`;

export const fixturesPresent = (): boolean => existsSync(FIXTURES_DIR);

/** One recorded response body, parsed. Throws naming the file when it is not in the folder. */
export function readFixture(name: string): Record<string, unknown> {
  if (!fixturesPresent()) throw new Error(MISSING_FIXTURES_MESSAGE);
  const path = `${FIXTURES_DIR}${name}`;
  if (!existsSync(path))
    throw new Error(`the recorded Notion response ${name} is missing from ${FIXTURES_DIR}`);
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** The names of the recorded responses (`.json` files). */
export function listFixtures(): string[] {
  if (!fixturesPresent()) throw new Error(MISSING_FIXTURES_MESSAGE);
  return readdirSync(FIXTURES_DIR).filter((name) => name.endsWith(".json"));
}

/** SOURCES.md's row for a recording, as cells: file, repository, licence, location, commit, version. */
export function sourceRow(name: string): string[] {
  const sources = readFileSync(`${FIXTURES_DIR}SOURCES.md`, "utf8");
  const row = sources.split("\n").find((line) => line.startsWith(`| ${name} |`));
  if (!row) throw new Error(`SOURCES.md does not list ${name}`);
  return row
    .split("|")
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/**
 * The Notion-Version a fixture was recorded with, read from SOURCES.md's table (last column):
 * "2025-09-03", "2026-03-11"…
 */
export function recordedVersion(name: string): string {
  return sourceRow(name).at(-1) ?? "unknown";
}

/**
 * Keys our answers may carry that a recording lacks because it predates them:
 * - `request_status` on query and search lists: Notion added it with the per-query result limit
 *   (typed since @notionhq/client 5.26), after every recording here was made. Its values are
 *   checked in test/emulator/query-result-limit.test.ts.
 */
export const NEWER_THAN_THE_RECORDINGS = ["request_status"];

/**
 * How to compare with a recording of this version: keys newer than every recording are allowed,
 * and 2026-03-11 answers no longer carry `archived` (2025-09-03 ones do).
 */
export function shapeOptionsFor(name: string): { extraAllowed: string[] } {
  return recordedVersion(name).startsWith("2026-03-11")
    ? { extraAllowed: [...NEWER_THAN_THE_RECORDINGS, "archived"] }
    : { extraAllowed: NEWER_THAN_THE_RECORDINGS };
}
