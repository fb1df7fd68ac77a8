import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageNames } from "../../src/report/page-names.ts";
import { valueNames } from "../../src/report/value-names.ts";
import { proposalsOf } from "../../src/review/proposals.ts";
import { reviewNames } from "../../src/review/review-names.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeAll(async () => {
  world = await reviewWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe("names read up front for a run's proposals", () => {
  it("name every page and related page as one-by-one reads do, and a page the mirror lacks as such", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    world.withMirror((mirror) => {
      const rows = proposalsOf(mirror, runId);
      expect(rows).toHaveLength(49);
      const { pages, values } = reviewNames(mirror, rows);
      const onePages = pageNames(mirror.sqlite, new Map());
      const oneValues = valueNames(mirror.sqlite);
      for (const row of rows) {
        expect(pages.of(row.pageId, row.dataSourceId)).toEqual(
          onePages.of(row.pageId, row.dataSourceId),
        );
        expect(pages.of(row.pageId).title).not.toBe("(not in the mirror)");
      }
      const related = rows
        .filter((row) => row.propertyType === "relation")
        .map((row) => (JSON.parse(JSON.parse(row.naturalJson ?? '"[]"') as string) as string[])[0]);
      expect(related).toHaveLength(33);
      for (const id of related) {
        expect(values.pageTitle(id ?? "")).toBe(oneValues.pageTitle(id ?? ""));
        expect(values.pageTitle(id ?? "")).toMatch(/\S/);
      }

      const missing = "00000000-0000-4000-8000-00000000beef";
      const first = rows[0];
      const learnt = pageNames(mirror.sqlite, new Map());
      learnt.learn([missing]);
      expect(learnt.of(missing, first?.dataSourceId)).toEqual(
        onePages.of(missing, first?.dataSourceId),
      );
      expect(learnt.of(missing).title).toBe("(not in the mirror)");
      const titles = valueNames(mirror.sqlite);
      titles.learnPages?.([missing]);
      expect(titles.pageTitle(missing)).toBeUndefined();
    });
  });
});
