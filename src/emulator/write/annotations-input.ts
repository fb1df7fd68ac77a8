import { bodyValidationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { notAnObject, oneOfExpectation } from "./messages.ts";
import { ANNOTATION_COLORS } from "./property-types.ts";

const FLAGS = ["bold", "italic", "strikethrough", "underline", "code"] as const;

/**
 * Request annotations (every key optional) → the full response annotations, defaults false and
 * "default". Throws 400 validation_error for a non-boolean flag or an unknown color.
 */
export function annotationsFromInput(raw: Json | undefined, path: string): JsonObject {
  const out: JsonObject = {
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
    code: false,
    color: "default",
  };
  if (raw === undefined) return out;
  if (!isObject(raw)) throw notAnObject(path, raw);
  for (const flag of FLAGS) {
    const value = raw[flag];
    if (value === undefined) continue;
    if (typeof value !== "boolean") {
      throw bodyValidationError(`${path}.${flag}`, "should be a boolean", value);
    }
    out[flag] = value;
  }
  if (raw.color !== undefined) {
    if (
      typeof raw.color !== "string" ||
      !(ANNOTATION_COLORS as readonly string[]).includes(raw.color)
    ) {
      throw bodyValidationError(`${path}.color`, oneOfExpectation(ANNOTATION_COLORS), raw.color);
    }
    out.color = raw.color;
  }
  return out;
}
