import picocolors from "picocolors";

export type Paint = ReturnType<typeof picocolors.createColors>;

const PLAIN = picocolors.createColors(false);
const COLOURED = picocolors.createColors(true);

/**
 * Colours for text bound for `stream`, decided when asked (not when the program started): off
 * when NO_COLOR is set, on when FORCE_COLOR is set (and not "0"), otherwise only when `stream` is
 * a terminal that is not "dumb". Piped output, a CI log included, stays plain.
 */
export function paint(stream: { isTTY?: boolean } = process.stdout): Paint {
  return wantsColour(stream) ? COLOURED : PLAIN;
}

function wantsColour(stream: { isTTY?: boolean }): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0";
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}
