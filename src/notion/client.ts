import { Client, LogLevel } from "@notionhq/client";
import type { NotionVersion } from "./api-version.ts";
import { DEFAULT_NOTION_VERSION } from "./api-version.ts";
import type { NotionConnection } from "./connection.ts";

export interface ClientOptions {
  /** The Notion-Version header every request carries (default {@link DEFAULT_NOTION_VERSION}). */
  notionVersion?: NotionVersion;
  /** Per-request timeout, ms (default 60 s). */
  timeoutMs?: number;
  /** The client's own retries; notion-mirror's request layer retries itself, so off by default. */
  maxRetries?: number;
  /** The `fetch` the client sends with (default: the global one). */
  fetch?: NotionFetch;
}

/** The `fetch` signature @notionhq/client accepts. */
export type NotionFetch = NonNullable<
  NonNullable<ConstructorParameters<typeof Client>[0]>["fetch"]
>;

/**
 * The one place that constructs @notionhq/client. The client's logger is silenced: its warnings
 * could carry request details, and nothing but notion-mirror's own messages reaches the user.
 */
export function createNotionClient(
  connection: NotionConnection,
  options: ClientOptions = {},
): Client {
  const maxRetries = options.maxRetries ?? 0;
  return new Client({
    auth: connection.token,
    ...(connection.baseUrl ? { baseUrl: connection.baseUrl } : {}),
    notionVersion: options.notionVersion ?? DEFAULT_NOTION_VERSION,
    timeoutMs: options.timeoutMs ?? 60_000,
    logLevel: LogLevel.ERROR,
    logger: () => undefined,
    retry: maxRetries > 0 ? { maxRetries } : false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
