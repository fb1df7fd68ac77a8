import type { JsonObject } from "../json.ts";
import { isObject } from "../json.ts";

export interface SchemaProperty {
  /** The property's name: the key of the schema and of the page's `properties`. */
  name: string;
  property: JsonObject;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The schema property a request key names: first by exact name, else by property id (as the API
 * returns it, URL-encoded like "%3FB%3AW", or decoded like "?B:W"). Undefined when none matches.
 */
export function findSchemaProperty(schema: JsonObject, key: string): SchemaProperty | undefined {
  const byName = schema[key];
  if (isObject(byName)) return { name: key, property: byName };
  const decodedKey = safeDecode(key);
  for (const [name, property] of Object.entries(schema)) {
    if (!isObject(property) || typeof property.id !== "string") continue;
    if (property.id === key || safeDecode(property.id) === decodedKey) return { name, property };
  }
  return undefined;
}
