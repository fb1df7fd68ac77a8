import type { GetPagePropertyResponse, PageObjectResponse } from "@notionhq/client";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Pacer } from "../notion/rate-gate.ts";

/**
 * Fills in relation values that Notion cut at 25 items (`has_more: true`) from the property
 * endpoint, in order (all of them, or only those of `onlyPropertyIds`). Asks only for the properties that say they are incomplete, so a page with
 * no long relation costs no request. Returns the same page object, completed. `pacer` paces those
 * requests (a page being written passes its lane's reads, so they do not queue behind other pages).
 */
export async function completePage(
  api: NotionApi,
  page: PageObjectResponse,
  onlyPropertyIds?: ReadonlySet<string>,
  pacer?: Pacer,
): Promise<PageObjectResponse> {
  const truncated = Object.values(page.properties).filter(
    (value) =>
      value.type === "relation" &&
      saysHasMore(value) &&
      (!onlyPropertyIds || onlyPropertyIds.has(value.id)),
  );
  await Promise.all(
    truncated.map(async (value) => {
      const answers = await api.propertyItems(page.id, value.id, pacer);
      if (value.type !== "relation") return;
      value.relation = answers.flatMap(relationItems);
      Object.assign(value, { has_more: false });
    }),
  );
  return page;
}

function relationItems(answer: GetPagePropertyResponse): Array<{ id: string }> {
  if (answer.object !== "list") return answer.type === "relation" ? [answer.relation] : [];
  return answer.results.flatMap((item) =>
    item.type === "relation" ? [{ id: item.relation.id }] : [],
  );
}

/** Notion sends `has_more` on relation values; the client's types leave it out. */
function saysHasMore(value: object): boolean {
  return (value as { has_more?: unknown }).has_more === true;
}
