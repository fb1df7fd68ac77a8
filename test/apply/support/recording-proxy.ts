import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as it left notion-mirror: method, path and the exact body text. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

/**
 * A plain HTTP relay in front of the emulator that keeps every request body, so a test can see
 * exactly what notion-mirror sent (the emulator's own log keeps no bodies).
 */
export async function startRecordingProxy(
  target: string,
): Promise<{ url: string; requests: RecordedRequest[]; stop(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "GET", path: req.url ?? "/", body });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && !["host", "content-length"].includes(name))
          headers[name] = value;
      }
      fetch(`${target}${req.url ?? "/"}`, {
        method: req.method,
        headers,
        body: body.length > 0 ? body : undefined,
      })
        .then(async (answer) => {
          const text = await answer.text();
          const out: Record<string, string> = { "content-type": "application/json" };
          const retryAfter = answer.headers.get("retry-after");
          if (retryAfter) out["retry-after"] = retryAfter;
          res.writeHead(answer.status, out);
          res.end(text);
        })
        .catch(() => res.socket?.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
