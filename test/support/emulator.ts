import { Client } from "@notionhq/client";
import type { Emulator, EmulatorOptions, SeedFile } from "../../src/emulator/index.ts";
import { demoWorkspace, startEmulator } from "../../src/emulator/index.ts";

/** A running emulator and a real @notionhq/client pointed at it over HTTP. */
export interface EmulatorSession {
  emulator: Emulator;
  notion: Client;
  /** Raw HTTP to the emulator with Notion's headers, for what the client will not send. */
  fetchRaw(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Headers;
    json: Record<string, unknown>;
  }>;
  stop(): Promise<void>;
}

export async function openEmulator(
  options: Partial<EmulatorOptions> & {
    seed?: SeedFile;
    clientRetries?: number;
    timeoutMs?: number;
    /** The Notion-Version the client and fetchRaw send (default 2025-09-03). */
    notionVersion?: string;
  } = {},
): Promise<EmulatorSession> {
  const emulator = await startEmulator({ ...options, seed: options.seed ?? demoWorkspace() });
  const notionVersion = options.notionVersion ?? "2025-09-03";
  const notion = new Client({
    auth: emulator.token,
    baseUrl: emulator.url,
    notionVersion,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: options.clientRetries
      ? { maxRetries: options.clientRetries, initialRetryDelayMs: 10 }
      : false,
    logger: () => undefined,
  });
  return {
    emulator,
    notion,
    async fetchRaw(path, init = {}) {
      const response = await fetch(`${emulator.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${emulator.token}`,
          "notion-version": notionVersion,
          "content-type": "application/json",
          ...init.headers,
        },
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === "string"
              ? init.body
              : JSON.stringify(init.body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    stop: () => emulator.stop(),
  };
}
