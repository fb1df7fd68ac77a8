import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the proxy holds: where it went, and whether its sender has stopped waiting. */
export interface HeldRequest {
  method: string;
  path: string;
  /** The sender closed its connection (it was killed, or timed the request out). */
  abandoned(): boolean;
}

export interface HoldingProxy {
  /** Base URL to give notion-mirror (NOTION_BASE_URL) instead of the emulator's. */
  url: string;
  /** The requests held so far and not yet released, in arrival order. */
  held(): readonly HeldRequest[];
  /**
   * Sends every held request on to the emulator, abandoned ones included (as Notion applies a
   * request whose answer nobody reads), and lets every later one through. Resolves once the
   * emulator has answered them all.
   */
  release(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A plain HTTP relay in front of the emulator that holds the requests `holds` picks until
 * {@link HoldingProxy.release}: a test keeps a writer in the middle of its write for as long as
 * it needs (another process to start, a kill -9), however slowly the machine runs, instead of
 * hoping that a delay or a latency is long enough. Everything else passes straight through.
 */
export async function startHoldingProxy(
  target: string,
  holds: (method: string, path: string) => boolean,
): Promise<HoldingProxy> {
  let open = false;
  const waiting: Array<{ request: HeldRequest; send: () => Promise<void> }> = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      const send = () => relay(target, req, body, res);
      if (open || !holds(method, path)) return send();
      let left = false;
      res.on("close", () => (left = true));
      waiting.push({ request: { method, path, abandoned: () => left }, send });
      return undefined;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    held: () => waiting.map((entry) => entry.request),
    release: async () => {
      open = true;
      const released = waiting.splice(0);
      await Promise.all(released.map((entry) => entry.send()));
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const UNRELAYED = new Set(["host", "content-length", "connection", "keep-alive"]);

/** Sends one request on and its answer back (to nobody when the sender has left). */
async function relay(
  target: string,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && !UNRELAYED.has(name)) headers[name] = value;
  }
  try {
    const answer = await fetch(`${target}${req.url ?? "/"}`, {
      method: req.method,
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const text = await answer.text();
    if (res.destroyed) return;
    const out: Record<string, string> = { "content-type": "application/json" };
    const retryAfter = answer.headers.get("retry-after");
    if (retryAfter) out["retry-after"] = retryAfter;
    res.writeHead(answer.status, out);
    res.end(text);
  } catch {
    res.socket?.destroy();
  }
}
