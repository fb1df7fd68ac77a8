import type { Emulator, FaultAction, FaultRule, JsonObject } from "../src/emulator/index.ts";
import type { Random } from "./soak-random.ts";

/** The kind name of hung requests (ended by the client's timeout). */
export const HANG = "hang (client timeout)";

/**
 * The mixed failures of the soak: each kind's share of the failure rate. Every request to the API
 * may be hit; apply-then-drop only applies to writes (it is a lost answer of an applied PATCH).
 */
const MIX: ReadonlyArray<{ kind: string; share: number; method?: string; action: FaultAction }> = [
  { kind: "429 without Retry-After", share: 0.16, action: { type: "status", status: 429 } },
  {
    kind: "429 with Retry-After",
    share: 0.01,
    action: { type: "status", status: 429, retryAfter: 1 },
  },
  { kind: "500", share: 0.08, action: { type: "status", status: 500 } },
  { kind: "502", share: 0.07, action: { type: "status", status: 502 } },
  { kind: "503", share: 0.07, action: { type: "status", status: 503 } },
  { kind: "504", share: 0.06, action: { type: "status", status: 504 } },
  { kind: "409 conflict", share: 0.04, action: { type: "status", status: 409 } },
  { kind: "connection reset", share: 0.12, action: { type: "reset" } },
  { kind: "truncated body", share: 0.12, action: { type: "truncate-body" } },
  {
    kind: "applied, answer dropped",
    share: 0.24,
    method: "PATCH",
    action: { type: "apply-then-drop" },
  },
  { kind: HANG, share: 0.015, action: { type: "hang" } },
];

/** A page the soak may arm a person's edit on, with the edits to make. */
export interface MutateTarget {
  pageId: string;
  /** Fills (or, on revert, changes) a field the run targets. */
  targetEdit: JsonObject;
  /** Changes a field the run does not touch. */
  otherEdit: JsonObject;
}

/** Rule id → kind, so the request log's `fault` ids can be counted by kind. */
export type FaultKinds = Map<string, string>;

/**
 * Arms the failure mix at `failureRate` on every API path, and person edits (`mutate`) on a seeded
 * sample of `pages`: a target field filled just before the engine's live read (it must then be
 * protected), and another field edited between that read and the write, on the GET's answer or
 * just before the PATCH is handled (the write must leave it alone). Returns rule id → kind.
 *
 * The target field is never filled between the read and the write: that window is the one race
 * DESIGN.md leaves (Notion has no conditional writes), and the checker's I1 would rightly flag it.
 * `options.omit` leaves kinds out of the mix (by name, e.g. HANG for a client with a long timeout).
 */
export function armFaults(
  emulator: Emulator,
  failureRate: number,
  pages: readonly MutateTarget[],
  random: Random,
  options: { mutateShare?: number; omit?: ReadonlySet<string> } = {},
): FaultKinds {
  const mutateShare = options.mutateShare ?? 0.02;
  const kinds: FaultKinds = new Map();
  const add = (kind: string, rule: FaultRule) => kinds.set(emulator.faults.add(rule), kind);
  for (const { kind, share, method, action } of MIX) {
    if (failureRate * share <= 0 || options.omit?.has(kind)) continue;
    add(kind, {
      path: "/v1/**",
      ...(method ? { method } : {}),
      probability: Math.min(1, failureRate * share),
      action,
    });
  }
  for (const page of pages) {
    const draw = random();
    const path = `/v1/pages/${page.pageId}`;
    if (draw < mutateShare) {
      add("mutate: target filled before the read", {
        method: "GET",
        path,
        nth: 1,
        action: { type: "mutate", edit: { pageId: page.pageId, properties: page.targetEdit } },
      });
    } else if (draw < 2 * mutateShare) {
      add("mutate: other field after the read", {
        method: "GET",
        path,
        nth: 1,
        action: {
          type: "mutate",
          when: "after",
          edit: { pageId: page.pageId, properties: page.otherEdit },
        },
      });
    } else if (draw < 3 * mutateShare) {
      add("mutate: other field before the write", {
        method: "PATCH",
        path,
        nth: 1,
        action: { type: "mutate", edit: { pageId: page.pageId, properties: page.otherEdit } },
      });
    }
  }
  return kinds;
}

/** Faults the emulator's request log says acted, by kind, from `sinceSeq` on. */
export function countFaults(
  emulator: Emulator,
  kinds: FaultKinds,
  sinceSeq: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of emulator.log.all()) {
    if (entry.seq < sinceSeq || !entry.fault) continue;
    for (const id of entry.fault.split(",")) {
      const kind = kinds.get(id) ?? `other (${id})`;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
  }
  return counts;
}
