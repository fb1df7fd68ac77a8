const started = performance.now();

/** A progress line on stderr, stamped with the time since the bench started (stdout is the table). */
export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Reports `status()` every `everyMs` while a long step runs; call the result to stop. */
export function ticker(label: string, status: () => string, everyMs = 10_000): () => void {
  const timer = setInterval(() => progress(`${label}: ${status()}`), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
