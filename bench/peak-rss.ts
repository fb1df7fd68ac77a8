import { readFileSync } from "node:fs";

/** A figure of /proc/self/status in bytes (Linux), or undefined elsewhere. */
function procStatus(field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      readFileSync("/proc/self/status", "utf8"),
    );
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** This process's peak resident memory so far, bytes (VmHWM; maxRSS where there is no /proc). */
export function peakRss(): number {
  return procStatus("VmHWM") ?? process.resourceUsage().maxRSS * 1024;
}

/** This process's resident memory now, bytes. */
export function currentRss(): number {
  return procStatus("VmRSS") ?? process.memoryUsage().rss;
}
