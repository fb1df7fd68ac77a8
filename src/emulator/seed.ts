import { readFile } from "node:fs/promises";
import { isArray, isObject } from "./json.ts";
import type { SeedFile } from "./seed-file.ts";

/**
 * Checks that a parsed JSON value is a seed: data source objects, page objects and users in
 * Notion's own response format. Throws an Error naming the first thing that is wrong.
 */
export function parseSeed(value: unknown): SeedFile {
  if (!isObject(value)) throw new Error("a seed must be a JSON object");
  const integration = value.integration;
  if (
    !isObject(integration) ||
    typeof integration.id !== "string" ||
    typeof integration.name !== "string" ||
    typeof integration.bot_user_id !== "string"
  ) {
    throw new Error("seed.integration must be {id, name, bot_user_id, workspace_name}");
  }
  for (const key of ["users", "databases", "data_sources", "pages"] as const) {
    const list = value[key];
    if (!isArray(list)) throw new Error(`seed.${key} must be an array`);
    list.forEach((item, index) => {
      if (!isObject(item) || typeof item.id !== "string") {
        throw new Error(`seed.${key}[${index}] must be an object with a string id`);
      }
    });
  }
  const users = value.users as SeedFile["users"];
  if (!users.some((user) => user.id === integration.bot_user_id)) {
    throw new Error(`seed.users has no user with the bot id ${integration.bot_user_id}`);
  }
  const sources = new Set(
    (value.data_sources as SeedFile["data_sources"]).map((source) => source.id),
  );
  (value.pages as SeedFile["pages"]).forEach((page, index) => {
    const parent = page.parent;
    if (
      !isObject(parent) ||
      typeof parent.data_source_id !== "string" ||
      !sources.has(parent.data_source_id)
    ) {
      throw new Error(
        `seed.pages[${index}] (${String(page.id)}) has no parent data source in seed.data_sources`,
      );
    }
    if (!isObject(page.properties))
      throw new Error(`seed.pages[${index}] has no properties object`);
  });
  return value as unknown as SeedFile;
}

/** Reads and checks a seed file. */
export async function readSeedFile(path: string): Promise<SeedFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read seed file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`seed file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseSeed(parsed);
}
