/** A value as a person reads it in a diff: empty, text, a list, a date range. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? "(empty)" : value.map((item) => valueText(item)).join(", ");
  return JSON.stringify(value);
}
