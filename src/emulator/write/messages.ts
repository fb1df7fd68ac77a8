import type { NotionApiError } from "../errors.ts";
import { bodyValidationError, validationError } from "../errors.ts";
import type { Json } from "../json.ts";

/** Notion's answer to any property write on a trashed page; the caller (the page handler) uses it. */
export const ARCHIVED_BLOCK_MESSAGE =
  "Can't edit block that is archived. You must unarchive the block before editing.";

export const notAPropertyMessage = (key: string) => `${key} is not a property that exists.`;

export const expectedTypeMessage = (key: string, type: string) =>
  `${key} is expected to be ${type}.`;

/**
 * Notion's message when a value matches none of the shapes of a union: one line per alternative,
 * e.g. a write to a formula property lists every writable type.
 */
export function fixOneError(path: string, alternatives: readonly string[]): NotionApiError {
  const lines = alternatives.map(
    (alternative) => `body.${path}.${alternative} should be defined, instead was \`undefined\`.`,
  );
  return validationError(`body failed validation. Fix one:\n${lines.join("\n")}`);
}

/** "should be `"a"`, `"b"`, or `"c"`" as Notion words an enumeration. */
export function oneOfExpectation(values: readonly string[]): string {
  const quoted = values.map((value) => `\`${JSON.stringify(value)}\``);
  const last = quoted.pop() ?? "";
  return quoted.length === 0 ? `should be ${last}` : `should be ${quoted.join(", ")}, or ${last}`;
}

export const tooLong = (path: string, limit: number, actual: number) =>
  bodyValidationError(`${path}.length`, `should be ≤ \`${limit}\``, actual);

export const notAString = (path: string, value: Json | undefined) =>
  value === undefined
    ? bodyValidationError(path, "should be defined", value)
    : bodyValidationError(path, "should be a string", value);

export const notAnObject = (path: string, value: Json | undefined) =>
  value === undefined
    ? bodyValidationError(path, "should be defined", value)
    : bodyValidationError(path, "should be an object", value);

export const notAnArray = (path: string, value: Json | undefined) =>
  value === undefined
    ? bodyValidationError(path, "should be defined", value)
    : bodyValidationError(path, "should be an array", value);

export const notAUuid = (path: string, value: Json | undefined) =>
  bodyValidationError(path, "should be a valid uuid", value);

export const selectCommaMessage = (name: string) =>
  `Invalid select option, commas not allowed: ${name}`;

export const statusOptionMessage = (name: string) =>
  `Invalid status option. Status option "${name}" does not exist.`;

export const statusOptionIdMessage = (id: string) =>
  `Invalid status option. Status option with id "${id}" does not exist.`;

export const selectOptionIdMessage = (id: string) =>
  `Invalid select option. Select option with id "${id}" does not exist.`;

export const INVALID_LINK_MESSAGE = "Invalid URL for link.";
