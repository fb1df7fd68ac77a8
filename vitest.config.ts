import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: a busy machine takes 20 s for a test that runs the CLI a few times; a hang still ends.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Most tests wait on child processes and HTTP, not the CPU: more workers than cores pays off.
    maxWorkers: 3,
  },
});
