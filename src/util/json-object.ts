/** `value` when it is a JSON object, else an empty one: for reading stored JSON field by field. */
export function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The object stored as JSON text, or an empty one when the text is not a JSON object. */
export function parseObject(json: string): Record<string, unknown> {
  try {
    return objectOf(JSON.parse(json));
  } catch {
    return {};
  }
}
