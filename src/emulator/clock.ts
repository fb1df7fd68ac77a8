/** Where the emulator gets "now" from; tests can move time forward by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until advanced: for tests of minute rounding and watermarks. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
}

/** Notion reports created_time / last_edited_time rounded down to the minute. */
export function isoMinute(date: Date): string {
  const rounded = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
  return rounded.toISOString();
}

/**
 * A database's timestamp as Notion gives it: to the millisecond, with `+00:00`
 * (`2026-07-04T09:08:57.778+00:00`, recorded), where pages and data sources are cut to the
 * minute with `Z`. Any ISO text is taken; text that is not a date comes back unchanged.
 */
export function databaseTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/Z$/, "+00:00");
}
