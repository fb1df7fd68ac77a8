/**
 * Notion's error responses: `{object:"error", status, code, message, request_id}`. Only codes that
 * @notionhq/client knows (APIErrorCode) are used, so the client turns them into APIResponseError.
 */
export type NotionErrorCode =
  | "unauthorized"
  | "restricted_resource"
  | "object_not_found"
  | "rate_limited"
  | "invalid_json"
  | "invalid_request_url"
  | "invalid_request"
  | "validation_error"
  | "conflict_error"
  | "internal_server_error"
  | "service_overload"
  | "service_unavailable"
  | "missing_version";

export class NotionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: NotionErrorCode,
    message: string,
    readonly additionalData?: Record<string, string>,
  ) {
    super(message);
    this.name = "NotionApiError";
  }
}

export const INTEGRATION_HINT = (integrationName: string) =>
  `Make sure the relevant pages and databases are shared with your integration "${integrationName}".`;

export function validationError(message: string): NotionApiError {
  return new NotionApiError(400, "validation_error", message);
}

export function bodyValidationError(
  path: string,
  expectation: string,
  actual: unknown,
): NotionApiError {
  return validationError(
    `body failed validation: body.${path} ${expectation}, instead was \`${JSON.stringify(actual) ?? "undefined"}\`.`,
  );
}

export function objectNotFound(
  kind: "page" | "database" | "data_source" | "block" | "user",
  id: string,
  integration: { name: string; id: string },
): NotionApiError {
  const hint =
    kind === "user"
      ? "Make sure your integration has capabilities to read user information. With those capabilities, only members and guests in the integration's workspace are visible."
      : INTEGRATION_HINT(integration.name);
  const label = kind === "data_source" ? "data source" : kind;
  return new NotionApiError(
    404,
    "object_not_found",
    `Could not find ${label} with ID: ${id}. ${hint}`,
    {
      integration_id: integration.id,
    },
  );
}

export const unauthorized = () => new NotionApiError(401, "unauthorized", "API token is invalid.");
export const missingVersion = () =>
  new NotionApiError(
    400,
    "missing_version",
    "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.",
  );
export const invalidRequestUrl = () =>
  new NotionApiError(400, "invalid_request_url", "Invalid request URL.");
export const invalidJson = () =>
  new NotionApiError(400, "invalid_json", "Error parsing JSON body.");
export const RATE_LIMITED_MESSAGE =
  "You have been rate limited. Please try again in a few minutes.";

/**
 * Notion's 429. `additional_data` names the limit (`rate_limit_reason`) and repeats the wait as
 * `retry_after`, whole seconds as a string, as the request-limits page says Notion does whenever
 * it sends Retry-After.
 */
export const rateLimited = (reason: string, retryAfterSeconds: number) =>
  new NotionApiError(429, "rate_limited", RATE_LIMITED_MESSAGE, {
    rate_limit_reason: reason,
    retry_after: String(retryAfterSeconds),
  });
