import type { PageObjectResponse } from "@notionhq/client";
import { naturalValue } from "../notion/codec/index.ts";
import type { NaturalValue } from "../notion/codec/index.ts";
import { valueKeyOf } from "./view-sql.ts";

/** A page as the mirror stores it. */
export interface PageRecord {
  id: string;
  dataSourceId: string;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  url: string;
  rawJson: string;
  valuesJson: string;
  relations: Array<{ propertyId: string; position: number; targetPageId: string }>;
}

/**
 * Turns a complete page object (relations past 25 already filled in) into the mirror's row: the
 * raw JSON as Notion sent it, the natural value of each property keyed for the view, and the
 * relation rows in order.
 */
export function pageRecord(page: PageObjectResponse, dataSourceId: string): PageRecord {
  const values: Record<string, NaturalValue> = {};
  const relations: PageRecord["relations"] = [];
  for (const value of Object.values(page.properties)) {
    values[valueKeyOf(value.id)] = cellValue(value);
    if (value.type === "relation") {
      value.relation.forEach((target, position) =>
        relations.push({ propertyId: value.id, position, targetPageId: target.id }),
      );
    }
  }
  return {
    id: page.id,
    dataSourceId,
    createdTime: page.created_time,
    lastEditedTime: page.last_edited_time,
    inTrash: page.in_trash,
    url: page.url,
    rawJson: JSON.stringify(page),
    valuesJson: JSON.stringify(values),
    relations,
  };
}

/** The natural value, with dates always as `{start, end}` so the view's two date columns read it. */
function cellValue(value: PageObjectResponse["properties"][string]): NaturalValue {
  if (value.type === "date") {
    return value.date ? { start: value.date.start, end: value.date.end ?? null } : null;
  }
  return naturalValue(value);
}
