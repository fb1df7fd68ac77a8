import { describe, expect, it } from "vitest";
import { propertyValueText } from "../../src/report/property-value-text.ts";
import type { ValueNames } from "../../src/report/value-names.ts";
import { valueNames } from "../../src/report/value-names.ts";

const ANA = "5a1b0000-0000-4000-8000-0000000000a1";
const BO = "5a1b0000-0000-4000-8000-0000000000b0";
const ATLAS = "14c4e052-0778-4000-8089-00000000008a";

/** Names as a mirror that knows Atlas and Bo would give them. */
const mirrorNames: ValueNames = {
  pageTitle: (id) => (id === ATLAS ? "Atlas Platform" : undefined),
  userName: (id) => (id === BO ? "Bo Lindqvist" : undefined),
};

describe("a stored property value in people's terms", () => {
  it("names related pages by title and people by name, the id after", () => {
    expect(
      propertyValueText(
        { id: "r", type: "relation", relation: [{ id: ATLAS }], has_more: false },
        mirrorNames,
      ),
    ).toBe(`Atlas Platform (${ATLAS})`);
    expect(
      propertyValueText(
        { id: "p", type: "people", people: [{ object: "user", id: BO }] },
        mirrorNames,
      ),
    ).toBe(`Bo Lindqvist (${BO})`);
  });

  it("takes a person's name from the value when the mirror does not know it, and shows an unknown page by id", () => {
    const none = valueNames(undefined);
    expect(
      propertyValueText(
        {
          id: "p",
          type: "people",
          people: [
            {
              object: "user",
              id: ANA,
              name: "Ana Ruiz",
              avatar_url: null,
              type: "person",
              person: {},
            },
          ],
        },
        none,
      ),
    ).toBe(`Ana Ruiz (${ANA})`);
    expect(
      propertyValueText(
        { id: "r", type: "relation", relation: [{ id: ATLAS }], has_more: false },
        none,
      ),
    ).toBe(ATLAS);
  });

  it("shows empty values, dates and plain values as plan does", () => {
    const none = valueNames(undefined);
    expect(
      propertyValueText({ id: "r", type: "relation", relation: [], has_more: false }, none),
    ).toBe("(empty)");
    expect(
      propertyValueText(
        { id: "d", type: "date", date: { start: "2024-03-05", end: null, time_zone: null } },
        none,
      ),
    ).toBe("5 Mar 2024");
    expect(
      propertyValueText(
        { id: "s", type: "select", select: { id: "1", name: "Active", color: "green" } },
        none,
      ),
    ).toBe("Active");
    expect(propertyValueText(null, none)).toBe("(empty)");
    expect(propertyValueText("(unknown: the run was interrupted)", none)).toBe(
      "(unknown: the run was interrupted)",
    );
  });
});
