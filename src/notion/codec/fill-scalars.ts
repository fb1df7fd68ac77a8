import type { FillContext } from "./fill-context.ts";
import { asRecord, expected, refuse, targetLabel } from "./fill-context.ts";
import { NOTION_LIMITS } from "./limits.ts";
import type { PayloadResult } from "./types.ts";

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** number from a finite number, or text that is exactly a decimal number ("12.5", "-3e2"). */
export function fillNumber(natural: unknown, ctx: FillContext): PayloadResult {
  let number: number | undefined;
  if (typeof natural === "number") number = natural;
  else if (typeof natural === "string" && NUMERIC.test(natural.trim())) number = Number(natural);
  if (number === undefined || !Number.isFinite(number)) {
    return expected(ctx, "a finite number", natural);
  }
  return { ok: true, payload: { number } };
}

/** checkbox from a boolean, or 0 / 1 (SQLite has no booleans). */
export function fillCheckbox(natural: unknown, ctx: FillContext): PayloadResult {
  if (typeof natural === "boolean") return { ok: true, payload: { checkbox: natural } };
  if (natural === 0 || natural === 1) return { ok: true, payload: { checkbox: natural === 1 } };
  return expected(ctx, "true, false, 1 or 0", natural);
}

/**
 * url / email / phone_number from non-blank text within Notion's length limit (url 2000,
 * email and phone number 200). Notion does not check their format, so neither does this.
 */
export function fillString(
  kind: "url" | "email" | "phone_number",
  natural: unknown,
  ctx: FillContext,
): PayloadResult {
  const form = kind === "url" ? "a URL" : kind === "email" ? "an email address" : "a phone number";
  if (typeof natural !== "string" || natural.trim() === "") {
    return expected(ctx, `${form} as text`, natural);
  }
  const limit =
    kind === "url"
      ? NOTION_LIMITS.url
      : kind === "email"
        ? NOTION_LIMITS.email
        : NOTION_LIMITS.phoneNumber;
  if (natural.length > limit) {
    return refuse(
      `${form} for ${targetLabel(ctx)} is ${natural.length} characters; Notion accepts at most ${limit}`,
    );
  }
  if (kind === "url") return { ok: true, payload: { url: natural } };
  if (kind === "email") return { ok: true, payload: { email: natural } };
  return { ok: true, payload: { phone_number: natural } };
}

function optionalText(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : undefined;
}

/** place from `{lat, lon, name?, address?}` (or its JSON text), coordinates in range. */
export function fillPlace(natural: unknown, ctx: FillContext): PayloadResult {
  const record = asRecord(natural);
  const form = "a place {lat, lon, name?, address?}";
  if (!record) return expected(ctx, form, natural);
  const { lat, lon } = record;
  const name = optionalText(record.name);
  const address = optionalText(record.address);
  if (
    typeof lat !== "number" ||
    typeof lon !== "number" ||
    !(Math.abs(lat) <= 90) ||
    !(Math.abs(lon) <= 180) ||
    name === undefined ||
    address === undefined
  ) {
    return expected(ctx, `${form} with lat in [-90, 90] and lon in [-180, 180]`, natural);
  }
  return { ok: true, payload: { place: { lat, lon, name, address } } };
}
