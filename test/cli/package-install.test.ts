import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

function run(
  file: string,
  args: string[],
  options: { cwd: string; timeout: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    // The shebang finds node on PATH, as it does for a person.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
  };
  for (const key of ["NOTION_TOKEN", "NOTION_API_KEY", "NOTION_BASE_URL", "CI"]) delete env[key];
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { ...options, env, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
let packed: string[];
let installed: string;
let bin: string;
const hadDist = existsSync(join(REPO, "dist"));

/**
 * `npm pack` (which builds dist/), then the tarball installed as npm lays a package out: unpacked
 * into <prefix>/node_modules/notion-mirror, its bin linked into node_modules/.bin. Its production
 * dependencies are linked from this clone's node_modules rather than installed by npm: npm would
 * need the registry to resolve them (`npm ci` caches tarballs, not the metadata an install from
 * a tarball asks for), and would compile better-sqlite3 from source, which takes minutes. Only the
 * dependencies package.json declares are linked, so a module the build needs from
 * devDependencies (tsx, drizzle-kit…) is not found, as it would not be for a user.
 */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-pack-"));
  const pack = await run("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: REPO,
    timeout: 280_000,
  });
  expect(pack.code, pack.stderr).toBe(0);
  const [result] = JSON.parse(pack.stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (!result) throw new Error("npm pack reported no package");
  packed = result.files.map((file) => file.path);

  const modules = join(dir, "prefix", "node_modules");
  installed = join(modules, "notion-mirror");
  mkdirSync(installed, { recursive: true });
  const untar = await run(
    "tar",
    ["-xzf", join(dir, result.filename), "-C", installed, "--strip-components=1"],
    {
      cwd: dir,
      timeout: 60_000,
    },
  );
  expect(untar.code, untar.stderr).toBe(0);
  for (const name of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(realpathSync(join(REPO, "node_modules", name)), join(modules, name), "dir");
  }
  const [command, target] = Object.entries(manifest.bin)[0] ?? [];
  if (!command || !target) throw new Error("package.json names no bin");
  mkdirSync(join(modules, ".bin"));
  bin = join(modules, ".bin", command);
  symlinkSync(join("..", "notion-mirror", target), bin);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (!hadDist) rmSync(join(REPO, "dist"), { recursive: true, force: true });
});

describe("the package npm pack makes", () => {
  it("holds the build, the migrations and the demo rules, and neither sources nor tests", () => {
    for (const file of [
      "package.json",
      "README.md",
      "bin/notion-mirror.js",
      "dist/cli/run.js",
      "dist/fill/sql-sandbox-worker.js",
      "migrations/meta/_journal.json",
      "examples/demo-fills/phase-status-active.sql",
    ])
      expect(packed).toContain(file);
    expect(packed.filter((file) => /^(src|test|bench|scripts)\//.test(file))).toEqual([]);
  });

  it("runs without any development dependency", () => {
    const resolve = createRequire(join(installed, "package.json")).resolve;
    expect(() => resolve("tsx")).toThrow();
    expect(existsSync(join(installed, "src"))).toBe(false);
  });

  it("installed, `notion-mirror --version` answers package.json's version", async () => {
    const ran = await run(bin, ["--version"], { cwd: dir, timeout: 60_000 });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe(manifest.version);
  });

  it("installed, `notion-mirror demo` runs the whole job and proves it", async () => {
    const ran = await run(bin, ["demo", "--rate-limit", "off", "--latency", "0"], {
      cwd: dir,
      timeout: 120_000,
    });
    const output = ran.stdout + ran.stderr;
    expect(ran.code, output).toBe(0);
    expect(output).not.toContain("✘");
    expect(output).toContain("restored the workspace exactly");
  }, 130_000);
});
