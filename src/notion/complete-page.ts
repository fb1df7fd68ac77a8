import type { GetPagePropertyResponse, PageObjectResponse } from "./sdk-types.ts";
import type { NotionApi } from "./notion-api.ts";
import type { Pacer } from "./rate-gate.ts";
import { markWhole, mayBeCut } from "./cut-values.ts";

type PropertyValue = PageObjectResponse["properties"][string];

/**
 * Completes the values Notion may have cut at 25 references in a page object (relations, people,
 * mentions in titles and rich text: see `mayBeCut`) from the property endpoint, in order (all of
 * them, or only those of `onlyPropertyIds`). Asks only for the values that may be cut, so a page
 * without long references costs no request. Returns the same page object, completed. `pacer` paces
 * those requests (a page being written passes its lane's reads, so they do not queue behind other
 * pages).
 */
export async function completePage(
  api: NotionApi,
  page: PageObjectResponse,
  onlyPropertyIds?: ReadonlySet<string>,
  pacer?: Pacer,
): Promise<PageObjectResponse> {
  const cut = Object.values(page.properties).filter(
    (value) => mayBeCut(value) && (!onlyPropertyIds || onlyPropertyIds.has(value.id)),
  );
  await Promise.all(
    cut.map(async (value) => {
      const answers = await api.propertyItems(page.id, value.id, pacer);
      fillWhole(value, answers.flatMap(itemsOf));
      markWhole(value);
    }),
  );
  return page;
}

type PropertyItem = Extract<GetPagePropertyResponse, { object: "property_item" }>;

function itemsOf(answer: GetPagePropertyResponse): PropertyItem[] {
  return answer.object === "list" ? answer.results : [answer];
}

/** Replaces a cut value's content with the property endpoint's items, in place. */
function fillWhole(value: PropertyValue, items: PropertyItem[]): void {
  switch (value.type) {
    case "relation":
      value.relation = items.flatMap((item) =>
        item.type === "relation" ? [{ id: item.relation.id }] : [],
      );
      Object.assign(value, { has_more: false });
      return;
    case "people":
      value.people = items.flatMap((item) => (item.type === "people" ? [item.people] : []));
      return;
    case "title":
      value.title = items.flatMap((item) => (item.type === "title" ? [item.title] : []));
      return;
    case "rich_text":
      value.rich_text = items.flatMap((item) =>
        item.type === "rich_text" ? [item.rich_text] : [],
      );
      return;
    default:
      return;
  }
}
