import type { FaultRule } from "../../../src/emulator/index.ts";

const STATUSES = [500, 502, 503, 504];
const TIMES = 2;

/**
 * Bursts of Notion's server errors on a page's requests: 500 and 503 on writes (PATCH), 502 and
 * 504 on reads (GET), each twice, from a later request for each. With them, what the emulator's
 * log must show once all have fired (as {@link faultAnswers} lists it).
 */
export function serverErrorBursts(): { rules: FaultRule[]; answers: string[] } {
  const rules = STATUSES.map((status, index) => ({
    method: index % 2 === 0 ? "PATCH" : "GET",
    path: "/v1/pages/*",
    from: 1 + index,
    times: TIMES,
    action: { type: "status" as const, status },
  }));
  const answers = rules
    .flatMap((rule) => Array.from({ length: TIMES }, () => `${rule.method} ${rule.action.status}`))
    .sort();
  return { rules, answers };
}
