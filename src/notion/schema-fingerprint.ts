import { createHash } from "node:crypto";
import type { DataSourceObjectResponse } from "./sdk-types.ts";

/**
 * A hash of what a plan depends on in a data source's schema: each property's id, name, type and
 * type config (options, relation target …), in id order. Titles, icons and timestamps are left
 * out, so only a change that could invalidate a planned value changes it.
 */
export function schemaFingerprint(source: Pick<DataSourceObjectResponse, "properties">): string {
  const entries = Object.values(source.properties)
    .map((property) => {
      const config = (property as unknown as Record<string, unknown>)[property.type] ?? null;
      return [property.id, property.name, property.type, config] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 32);
}
