import type { Emulator, JsonObject } from "../src/emulator/index.ts";
import type { Random } from "./soak-random.ts";
import { pick } from "./soak-random.ts";

/** A field a run targets, and what a person would type into it instead. */
export interface PersonTarget {
  pageId: string;
  propertyName: string;
  /** Request-format value, different from what the run writes. */
  personValue: JsonObject;
}

export interface PeopleCounts {
  /** Edits that filled (or changed) a field the run targets. */
  targetEdits: number;
  /** Edits of a field the run does not touch, on a page it does. */
  otherEdits: number;
  /** Target edits held back because the engine was between its read and its write of the page. */
  heldBack: number;
  /** Edits the emulator refused (validation). */
  refused: number;
}

/**
 * How long after its write a page's target field is left alone: the engine records the write's
 * after-image a moment after Notion applied it, and the checker dates the write by that record.
 */
const SETTLE_MS = 1500;

/**
 * People editing pages while a run is in progress: a timer makes `editsPerSecond` edits as a person
 * (emulator.editAsPerson) on random target pages — about half fill the very field the run targets,
 * the rest change another field. A target field is left alone while the engine is inside its
 * read→write round trip for that page (a person's value landing there is the race DESIGN.md
 * documents; I1 would flag the overwrite), judged from the emulator's request log: a page is busy
 * from its first request until SETTLE_MS after an applied PATCH.
 */
export class People {
  readonly counts: PeopleCounts = { targetEdits: 0, otherEdits: 0, heldBack: 0, refused: 0 };
  private timer: NodeJS.Timeout | undefined;
  private logCursor = 0;
  private readonly touched = new Set<string>();
  /** Page id → when its write was applied (the emulator's clock, ms). */
  private readonly written = new Map<string, number>();
  private carry = 0;
  private serial = 0;

  constructor(
    private readonly emulator: Emulator,
    private readonly random: Random,
    private readonly editsPerSecond: number,
  ) {}

  /** Starts editing `targets` (and `otherEdit` fields of their pages); stops a previous phase. */
  start(targets: readonly PersonTarget[], otherEdit: (pageId: string) => JsonObject): void {
    this.stop();
    if (targets.length === 0 || this.editsPerSecond <= 0) return;
    this.touched.clear();
    this.written.clear();
    this.logCursor = this.emulator.log.all().length;
    const intervalMs = Math.max(10, 1000 / this.editsPerSecond);
    this.timer = setInterval(() => {
      this.carry += (this.editsPerSecond * intervalMs) / 1000;
      for (; this.carry >= 1; this.carry -= 1) this.editOnce(targets, otherEdit);
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private editOnce(targets: readonly PersonTarget[], otherEdit: (pageId: string) => JsonObject) {
    const target = pick(this.random, targets);
    this.serial += 1;
    if (this.random() < 0.5) {
      this.follow();
      const writtenAt = this.written.get(target.pageId);
      if (this.touched.has(target.pageId) && !(writtenAt && Date.now() - writtenAt > SETTLE_MS)) {
        this.counts.heldBack += 1;
        return;
      }
      if (this.edit(target.pageId, { [target.propertyName]: target.personValue }))
        this.counts.targetEdits += 1;
    } else if (this.edit(target.pageId, otherEdit(target.pageId))) {
      this.counts.otherEdits += 1;
    }
  }

  private edit(pageId: string, properties: JsonObject): boolean {
    try {
      this.emulator.editAsPerson({ pageId, properties });
      return true;
    } catch {
      this.counts.refused += 1;
      return false;
    }
  }

  /** Reads the request log on from where it was left: which pages the engine has touched, written. */
  private follow(): void {
    const log = this.emulator.log.all();
    for (; this.logCursor < log.length; this.logCursor += 1) {
      const entry = log[this.logCursor];
      const match = entry ? /^\/v1\/pages\/([0-9a-f-]{32,36})/.exec(entry.path) : null;
      if (!entry || !match?.[1]) continue;
      this.touched.add(match[1]);
      if (entry.method === "PATCH" && entry.applied)
        this.written.set(match[1], entry.at + entry.durationMs);
    }
  }

  /** A fresh number for a person's value, so two edits never type the same thing. */
  nextSerial(): number {
    return (this.serial += 1);
  }
}
