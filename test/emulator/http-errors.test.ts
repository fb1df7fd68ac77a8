import { APIErrorCode, APIResponseError, Client, isNotionClientError } from "@notionhq/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

let session: EmulatorSession;
beforeAll(async () => {
  session = await openEmulator();
});
afterAll(() => session.stop());

async function apiError(promise: Promise<unknown>): Promise<APIResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIResponseError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("errors answered like Notion", () => {
  it("refuses a wrong token with 401 unauthorized", async () => {
    const stranger = new Client({
      auth: "not-the-token",
      baseUrl: session.emulator.url,
      retry: false,
    });
    const error = await apiError(stranger.users.me({}));
    expect(error.status).toBe(401);
    expect(error.code).toBe(APIErrorCode.Unauthorized);
    expect(error.message).toBe("API token is invalid.");
  });

  it("requires the Notion-Version header (400 missing_version)", async () => {
    const response = await fetch(`${session.emulator.url}/v1/users/me`, {
      headers: { authorization: `Bearer ${session.emulator.token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(body.code).toBe("missing_version");
  });

  it("answers an unknown page id with 404 object_not_found and the share hint", async () => {
    const missing = "7855b161-f63e-4683-b7c7-8ca6e97ee266";
    const error = await apiError(session.notion.pages.retrieve({ page_id: missing }));
    expect(error.status).toBe(404);
    expect(error.code).toBe(APIErrorCode.ObjectNotFound);
    expect(error.message).toBe(
      `Could not find page with ID: ${missing}. Make sure the relevant pages and databases are shared with your integration "${session.emulator.workspace().integration.name}".`,
    );
  });

  it("answers an unknown data source with 404 naming the data source", async () => {
    const missing = "11111111-2222-4333-8444-555555555555";
    const error = await apiError(session.notion.dataSources.query({ data_source_id: missing }));
    expect(error.status).toBe(404);
    expect(error.message).toContain(`Could not find data source with ID: ${missing}.`);
  });

  it("answers a malformed id with 400 validation_error", async () => {
    const answer = await session.fetchRaw("/v1/pages/PAGE_ID");
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      object: "error",
      status: 400,
      code: "validation_error",
      message:
        'path failed validation: path.page_id should be a valid uuid, instead was `"PAGE_ID"`.',
    });
  });

  it("answers an id whose uuid variant digit is not 8, 9, a or b with 400, not 404", async () => {
    for (const [id, variant] of [
      ["12345678-1234-1234-1234-123456789abc", "1"],
      ["7855b161-f63e-4683-07c7-8ca6e97ee266", "0"],
      ["7855b161f63e4683c7c78ca6e97ee266", "c"],
    ] as const) {
      const answer = await session.fetchRaw(`/v1/pages/${id}`);
      expect(answer.status, `variant ${variant}`).toBe(400);
      expect(answer.json).toMatchObject({
        code: "validation_error",
        message: `path failed validation: path.page_id should be a valid uuid, instead was \`"${id}"\`.`,
      });
    }
  });

  it("takes the nil uuid and every variant 8, 9, a, b as ids (404 when unknown)", async () => {
    for (const id of [
      "00000000-0000-0000-0000-000000000000",
      "7855b161-f63e-4683-87c7-8ca6e97ee266",
      "7855b161-f63e-4683-97c7-8ca6e97ee266",
      "7855b161-f63e-8683-a7c7-8ca6e97ee266",
      "7855B161-F63E-4683-B7C7-8CA6E97EE266",
    ]) {
      const answer = await session.fetchRaw(`/v1/pages/${id}`);
      expect(answer.status, id).toBe(404);
      expect(answer.json.code).toBe("object_not_found");
    }
  });

  it("refuses a parent data source id of a bad variant as Notion refuses a malformed parent", async () => {
    const answer = await session.fetchRaw("/v1/pages", {
      method: "POST",
      body: { parent: { data_source_id: "7855b161-f63e-4683-07c7-8ca6e97ee266" }, properties: {} },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toContain(
      'body.parent.data_source_id should be a valid uuid, instead was `"7855b161-f63e-4683-07c7-8ca6e97ee266"`.',
    );
  });

  it("answers an unknown endpoint with 400 invalid_request_url", async () => {
    const answer = await session.fetchRaw("/v1/invalid");
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe("invalid_request_url");
    expect(answer.json.message).toBe("Invalid request URL.");
  });

  it("answers a body that is not JSON with 400 invalid_json", async () => {
    const answer = await session.fetchRaw("/v1/search", { method: "POST", body: "{not json" });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe("invalid_json");
  });

  it("gives every error Notion's body shape and an x-notion-request-id header", async () => {
    const answer = await session.fetchRaw("/v1/pages/00000000-0000-0000-0000-000000000000");
    expect(Object.keys(answer.json).sort()).toEqual(
      ["additional_data", "code", "message", "object", "request_id", "status"].sort(),
    );
    expect(answer.headers.get("x-notion-request-id")).toBe(answer.json.request_id);
    expect(Object.values(APIErrorCode)).toContain(answer.json.code);
  });

  it("lets the client recognise every error as a Notion client error", async () => {
    const error = await apiError(
      session.notion.pages.retrieve({ page_id: "00000000-0000-0000-0000-000000000000" }),
    );
    expect(isNotionClientError(error)).toBe(true);
  });
});
