import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { NotionMirrorError } from "../errors.ts";

/**
 * The `.env` files a command reads, in order of precedence: the one beside the config file, then
 * the one in the working folder (once, when they are the same file). Only files that exist.
 */
export function envFilePaths(configFile: string, cwd: string = process.cwd()): string[] {
  const candidates = [join(dirname(resolve(cwd, configFile)), ".env"), join(resolve(cwd), ".env")];
  return [...new Set(candidates)].filter((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * The variables the `.env` files add to `env`: the environment beats both files, and the file
 * beside the config beats the working folder's. Returns only variables `env` does not set, and
 * the files read; changes nothing. Throws a config error naming a file it cannot read.
 */
export function variablesFromEnvFiles(
  configFile: string,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { variables: Record<string, string>; files: string[] } {
  const variables: Record<string, string> = {};
  const files = envFilePaths(configFile, cwd);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new NotionMirrorError(
        "config",
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`,
        "Make it readable by you, or remove it.",
      );
    }
    for (const [key, value] of Object.entries(parseEnv(text))) {
      if (value === undefined || env[key] !== undefined || key in variables) continue;
      variables[key] = value;
    }
  }
  return { variables, files };
}
