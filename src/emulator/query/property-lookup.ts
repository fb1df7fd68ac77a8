import type { JsonObject } from "../json.ts";
import { isObject } from "../json.ts";

/** A property of a data source schema, resolved from a name or an id. */
export interface SchemaProperty {
  name: string;
  id: string;
  type: string;
  config: JsonObject;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Finds a property by name first, then by id. Ids match in Notion's URL-encoded form (as the
 * schema holds them, e.g. `%3FB%3AW`) and decoded (`?B:W`), since clients send either.
 * Returns undefined when nothing matches; never throws.
 */
export function findProperty(schema: JsonObject, nameOrId: string): SchemaProperty | undefined {
  const byName = schema[nameOrId];
  if (isObject(byName)) return toSchemaProperty(nameOrId, byName);
  const wanted = safeDecode(nameOrId);
  for (const [name, config] of Object.entries(schema)) {
    if (!isObject(config) || typeof config.id !== "string") continue;
    if (config.id === nameOrId || safeDecode(config.id) === wanted) {
      return toSchemaProperty(name, config);
    }
  }
  return undefined;
}

function toSchemaProperty(name: string, config: JsonObject): SchemaProperty {
  return {
    name,
    id: typeof config.id === "string" ? config.id : name,
    type: typeof config.type === "string" ? config.type : "",
    config,
  };
}
