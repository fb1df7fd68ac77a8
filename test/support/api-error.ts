import { APIResponseError } from "@notionhq/client";

/**
 * What @notionhq/client made of an error answer: the error itself (or a failure of the test
 * when the call succeeded or failed otherwise), with its Retry-After header read.
 */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ error: APIResponseError; retryAfter: string | null }> {
  const outcome = await call.then(
    () => new Error("the call succeeded; a refusal was expected"),
    (error: unknown) => error,
  );
  if (!(outcome instanceof APIResponseError)) throw outcome;
  return { error: outcome, retryAfter: headerOf(outcome.headers, "retry-after") };
}

/** A response header from the client's `headers` (a fetch Headers object), or null. */
function headerOf(headers: unknown, name: string): string | null {
  return headers instanceof Headers ? headers.get(name) : null;
}
