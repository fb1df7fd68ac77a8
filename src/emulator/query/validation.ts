import type { NotionApiError } from "../errors.ts";
import { bodyValidationError, validationError } from "../errors.ts";
import type { Json } from "../json.ts";

/**
 * Notion's body validator, in its own words: one failed expectation reads
 * `body failed validation: body.<path> <expectation>, instead was <actual>.`, and a value that
 * matches none of a union's alternatives lists each alternative after "Fix one:".
 */
export function invalid(
  path: string,
  expectation: string,
  actual: Json | undefined,
): NotionApiError {
  return bodyValidationError(path, expectation, actual);
}

/** `body.<path>.<key> should be defined, instead was \`undefined\`.` for each alternative key. */
export function fixOneMissing(path: string, keys: readonly string[]): NotionApiError {
  const lines = keys.map(
    (key) => `body.${path}.${key} should be defined, instead was \`undefined\`.`,
  );
  return validationError(`body failed validation. Fix one:\n${lines.join("\n")}`);
}

export const notPresent = (path: string, actual: Json | undefined): NotionApiError =>
  invalid(path, "should be not present", actual);

export function oneOf(values: readonly string[]): string {
  const quoted = values.map((value) => `\`"${value}"\``);
  return `should be ${quoted.slice(0, -1).join(", ")}${quoted.length > 1 ? " or " : ""}${quoted.at(-1) ?? ""}`;
}
