import { createInterface } from "node:readline/promises";
import { NotionMirrorError } from "../errors.ts";

/**
 * Asks on stderr before a write. With --yes, proceeds; with no terminal to ask on, refuses with a
 * hint (a script must say --yes explicitly). The question may be built only when it is asked
 * (naming the target costs a `users/me` read, which --yes and scripts never pay).
 */
export async function confirmWrite(
  question: string | (() => Promise<string>),
  yes: boolean | undefined,
): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new NotionMirrorError(
      "usage",
      "This command writes to Notion and there is no terminal to confirm on.",
      "Try: add --yes to confirm, or --dry-run to see what would be sent.",
    );
  }
  const text = typeof question === "string" ? question : await question();
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${text} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
