import { readFileSync, readdirSync } from "node:fs";

/** Parent pid and peak RSS (bytes) of a process, from /proc; undefined when it is gone. */
function readProc(pid: number): { ppid: number; peak: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields resume after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    return { ppid, peak };
  } catch {
    return undefined;
  }
}

/**
 * Watches the processes this one starts (the plan's SQL sandbox, a child process) and keeps the
 * largest peak RSS any of them reached, sampling /proc every `everyMs`. Linux only: elsewhere it
 * reports 0. Call the result to stop; it returns that peak in bytes.
 */
export function watchDescendantPeakRss(everyMs = 50): () => number {
  let largest = 0;
  const sample = () => {
    let pids: number[];
    try {
      pids = readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return;
    }
    const mine = new Set([process.pid]);
    const infos = new Map<number, { ppid: number; peak: number }>();
    for (const pid of pids) {
      const info = readProc(pid);
      if (info) infos.set(pid, info);
    }
    // Descendants, found by walking parent links until nothing new joins.
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, info] of infos) {
        if (!mine.has(pid) && mine.has(info.ppid)) {
          mine.add(pid);
          grew = true;
          largest = Math.max(largest, info.peak);
        }
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    sample();
    return largest;
  };
}
