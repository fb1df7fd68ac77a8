const MAX_LENGTH = 60;

/** A property's name as a SQL-friendly column: lowercase snake_case, never empty, never a leading digit. */
export function snakeCase(name: string): string {
  const snake = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_LENGTH)
    .replace(/_+$/g, "");
  if (!snake) return "property";
  return /^[0-9]/.test(snake) ? `p_${snake}` : snake;
}
