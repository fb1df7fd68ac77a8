/** One figure of the table: what was measured, beside the bound or baseline measured in the same run. */
export interface Row {
  scenario: string;
  figure: string;
  measured: string;
  /** The bound or baseline it is compared with ("" when the figure stands alone). */
  bound: string;
  /** measured ÷ bound, or another stated comparison. */
  ratio: string;
  goal: string;
  verdict: "met" | "missed" | "";
}

export function row(
  scenario: string,
  figure: string,
  measured: string,
  more: Partial<Omit<Row, "scenario" | "figure" | "measured">> = {},
): Row {
  return { scenario, figure, measured, bound: "", ratio: "", goal: "", verdict: "", ...more };
}

export function verdict(met: boolean): Row["verdict"] {
  return met ? "met" : "missed";
}

export function fixed(value: number, digits = 1): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function whole(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function seconds(ms: number): string {
  return `${fixed(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
}

export function megabytes(bytes: number): string {
  return `${whole(bytes / 1024 / 1024)} MB`;
}

export function times(value: number): string {
  return `${fixed(value, 2)}×`;
}

export function percent(value: number): string {
  return `${fixed(value * 100, 0)}%`;
}

export function pages(count: number): string {
  return count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count);
}
