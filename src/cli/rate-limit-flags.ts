import { InvalidArgumentError } from "commander";
import type { RateLimit, WorkspaceRateLimit } from "../emulator/index.ts";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, min: 60_000 };

/** `N/<time>`, e.g. `600/60s`, `20/2s`, `2000/2m`, `50/500ms`. */
const BUDGET = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m)$/i;

/**
 * The emulator's `--rate-limit`: a budget per window as Notion counts it (`600/60s`: 600 requests
 * per fixed 60-second window, spent at any pace), an even rate per second (`3`: the older token
 * bucket) or `off`. Throws commander's InvalidArgumentError (exit 2) saying what it takes.
 *
 * @example rateLimitFlag("180/60s") // → { kind: "window", requests: 180, windowMs: 60_000 }
 */
export function rateLimitFlag(raw: string): RateLimit | false {
  const text = raw.trim();
  if (text.toLowerCase() === "off") return false;
  const budget = parseBudget(text);
  if (budget) return { kind: "window", ...budget };
  const perSecond = Number(text);
  if (/^\d+(\.\d+)?$/.test(text) && perSecond > 0) return { kind: "bucket", perSecond };
  throw new InvalidArgumentError(
    `--rate-limit takes requests per window (e.g. 180/60s, Notion's on most plans), requests per second (e.g. 3) or "off", not ${JSON.stringify(raw)}.`,
  );
}

/**
 * The emulator's `--workspace-rate-limit`: a budget per window shared by every token
 * (`2000/120s`), or `off`. Throws InvalidArgumentError saying what it takes.
 */
export function workspaceRateLimitFlag(raw: string): WorkspaceRateLimit | false {
  const text = raw.trim();
  if (text.toLowerCase() === "off") return false;
  const budget = parseBudget(text);
  if (budget) return budget;
  throw new InvalidArgumentError(
    `--workspace-rate-limit takes requests per window (e.g. 2000/120s) or "off", not ${JSON.stringify(raw)}.`,
  );
}

/** A limit in people's words: "180 requests per 60 s window", "3 requests/s", "off". */
export function describeRateLimit(limit: RateLimit | WorkspaceRateLimit | false): string {
  if (!limit) return "off";
  if ("perSecond" in limit) return `${limit.perSecond} requests/s`;
  return `${limit.requests} requests per ${limit.windowMs / 1000} s window`;
}

function parseBudget(text: string): WorkspaceRateLimit | undefined {
  const match = BUDGET.exec(text);
  if (!match) return undefined;
  const requests = Number(match[1]);
  const windowMs = Number(match[2]) * (UNIT_MS[(match[3] ?? "").toLowerCase()] ?? Number.NaN);
  if (!Number.isSafeInteger(requests) || requests < 1 || !(windowMs > 0)) return undefined;
  return { requests, windowMs };
}
