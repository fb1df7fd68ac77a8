import { counted } from "../util/plural.ts";

/**
 * What `--max-writes` leaves for a later invocation, as a clause: " (--max-writes: 3 pages left
 * for a later push)"; nothing when no page is left.
 */
export function laterText(pages: number, command: "push" | "revert"): string {
  return pages > 0 ? ` (--max-writes: ${counted(pages, "page")} left for a later ${command})` : "";
}
