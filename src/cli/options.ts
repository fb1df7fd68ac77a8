import { InvalidArgumentError } from "commander";
import type { NotionVersion } from "../notion/api-version.ts";
import { NOTION_VERSIONS } from "../notion/api-version.ts";

/** Commander parser for a whole number within bounds, with an error that says what was expected. */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}.`,
      );
    }
    return value;
  };
}

/** `--notion-version V`: one of the Notion API versions notion-mirror speaks. */
export function notionVersionOption(raw: string): NotionVersion {
  const version = NOTION_VERSIONS.find((known) => known === raw.trim());
  if (!version) {
    throw new InvalidArgumentError(
      `--notion-version takes ${NOTION_VERSIONS.join(", ")}, not ${JSON.stringify(raw)}.`,
    );
  }
  return version;
}
