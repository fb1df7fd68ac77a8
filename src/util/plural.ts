/**
 * A count with its noun in the right number: `counted(1, "page")` → "1 page",
 * `counted(2, "page")` → "2 pages", `counted(0, "entry", "entries")` → "0 entries".
 */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
