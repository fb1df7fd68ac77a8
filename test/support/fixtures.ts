import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The real recorded Notion responses (../shared/fixtures/notion-recorded beside the repo, or
 * NOTION_FIXTURES_DIR). CI always has them, so a missing folder is a failure, never a skip.
 */
export const FIXTURES_DIR =
  process.env.NOTION_FIXTURES_DIR ??
  fileURLToPath(new URL("../../../shared/fixtures/notion-recorded/", import.meta.url));

export const MISSING_FIXTURES_MESSAGE = `the recorded Notion fixtures are missing: expected ${FIXTURES_DIR} (../shared beside the repo, or set NOTION_FIXTURES_DIR)`;

export const fixturesPresent = (): boolean => existsSync(FIXTURES_DIR);

/** One recorded response body, parsed. Throws naming the folder when it is missing. */
export function readFixture(name: string): Record<string, unknown> {
  if (!fixturesPresent()) throw new Error(MISSING_FIXTURES_MESSAGE);
  return JSON.parse(readFileSync(`${FIXTURES_DIR}/${name}`, "utf8")) as Record<string, unknown>;
}

/** The names of the recorded responses (`.json` files). */
export function listFixtures(): string[] {
  if (!fixturesPresent()) throw new Error(MISSING_FIXTURES_MESSAGE);
  return readdirSync(FIXTURES_DIR).filter((name) => name.endsWith(".json"));
}

/**
 * The Notion-Version a fixture was recorded with, read from SOURCES.md's tables (last column):
 * "2025-09-03", "2026-03-11", a legacy version, "unknown"…
 */
export function recordedVersion(name: string): string {
  const sources = readFileSync(`${FIXTURES_DIR}/SOURCES.md`, "utf8");
  const row = sources.split("\n").find((line) => line.startsWith(`| ${name} |`));
  if (!row) throw new Error(`SOURCES.md does not list ${name}`);
  const cells = row.split("|").map((cell) => cell.trim());
  return cells[cells.length - 2] ?? "unknown";
}

/**
 * How to compare with a recording of this version: 2026-03-11 answers no longer carry `archived`
 * (2025-09-03 ones do); pre-data-source recordings (the Postman collection) are judged only on
 * what they have.
 */
export function shapeOptionsFor(name: string): { extraAllowed?: string[]; missingOnly?: boolean } {
  if (name.startsWith("postman_")) return { missingOnly: true };
  return recordedVersion(name).startsWith("2026-03-11") ? { extraAllowed: ["archived"] } : {};
}
