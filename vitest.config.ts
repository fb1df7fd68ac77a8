import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most tests wait on child processes and HTTP, not the CPU: more workers than cores pays off.
    maxWorkers: 3,
  },
});
