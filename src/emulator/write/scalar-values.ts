import { bodyValidationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { dateFromInput } from "./date-input.ts";
import { notAnObject, oneOfExpectation, tooLong } from "./messages.ts";
import { LIMITS } from "./property-limits.ts";

/** number: a finite number or null. */
export function numberFromInput(raw: Json | undefined, path: string): Json {
  if (raw === null) return null;
  if (typeof raw !== "number" || !Number.isFinite(raw)) {
    throw bodyValidationError(path, "should be a number or `null`", raw);
  }
  return raw;
}

/** checkbox: true or false only (null is refused: Notion's checkbox has no empty state). */
export function checkboxFromInput(raw: Json | undefined, path: string): Json {
  if (typeof raw !== "boolean") throw bodyValidationError(path, "should be a boolean", raw);
  return raw;
}

/**
 * url / email / phone_number: a non-empty string within Notion's length limit, or null (clears).
 * Notion does not check the format of these strings.
 */
export function textFromInput(raw: Json | undefined, path: string, limit: number): Json {
  if (raw === null) return null;
  if (typeof raw !== "string") throw bodyValidationError(path, "should be a string or `null`", raw);
  if (raw.length === 0) throw bodyValidationError(`${path}.length`, "should be ≥ `1`", 0);
  if (raw.length > limit) throw tooLong(path, limit, raw.length);
  return raw;
}

export const urlFromInput = (raw: Json | undefined, path: string) =>
  textFromInput(raw, path, LIMITS.url);
export const emailFromInput = (raw: Json | undefined, path: string) =>
  textFromInput(raw, path, LIMITS.email);
export const phoneFromInput = (raw: Json | undefined, path: string) =>
  textFromInput(raw, path, LIMITS.phoneNumber);

/** date: `{start, end?, time_zone?}` (see dateFromInput) or null. */
export function dateValueFromInput(raw: Json | undefined, path: string): Json {
  return raw === null ? null : dateFromInput(raw, path);
}

const PLACE_TEXT_KEYS = ["name", "address", "aws_place_id", "google_place_id"] as const;

/** place: `{lat, lon, name?, address?, aws_place_id?, google_place_id?}` or null. */
export function placeFromInput(raw: Json | undefined, path: string): Json {
  if (raw === null) return null;
  if (!isObject(raw)) throw notAnObject(path, raw);
  const out: JsonObject = {};
  for (const key of ["lat", "lon"] as const) {
    const value = raw[key];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw bodyValidationError(`${path}.${key}`, "should be a number", value);
    }
    out[key] = value;
  }
  for (const key of PLACE_TEXT_KEYS) {
    const value = raw[key];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw bodyValidationError(`${path}.${key}`, "should be a string or `null`", value);
    }
    out[key] = value ?? null;
  }
  return out;
}

/**
 * verification: `{state:"verified", date?}` (verified by `verifier`) or `{state:"unverified"}`.
 */
export function verificationFromInput(
  raw: Json | undefined,
  path: string,
  verifier: JsonObject,
): Json {
  if (!isObject(raw)) throw notAnObject(path, raw);
  if (raw.state === "unverified") return { state: "unverified", date: null, verified_by: null };
  if (raw.state !== "verified") {
    throw bodyValidationError(
      `${path}.state`,
      oneOfExpectation(["verified", "unverified"]),
      raw.state,
    );
  }
  const date =
    raw.date === undefined || raw.date === null ? null : dateFromInput(raw.date, `${path}.date`);
  return { state: "verified", date, verified_by: verifier };
}
