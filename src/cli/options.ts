import { InvalidArgumentError } from "commander";

/** Commander parser for a whole number within bounds, with an error that says what was expected. */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}.`,
      );
    }
    return value;
  };
}
