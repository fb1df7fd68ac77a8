import { Client } from "@notionhq/client";

export interface NaiveInput {
  baseUrl: string;
  token: string;
  pageIds: readonly string[];
  /** A rich_text property, by name, to fill where it is empty. */
  propertyName: string;
  text: string;
}

/**
 * The naive baseline push is compared with: a plain script on @notionhq/client, as a person
 * would first write it. One page at a time, read it, and if the property is empty write it.
 * No pacing: it leans on the client's own retry of 429s. Returns the pages written and wall time.
 */
export async function naiveFill(input: NaiveInput): Promise<{ written: number; wallMs: number }> {
  const notion = new Client({
    auth: input.token,
    baseUrl: input.baseUrl,
    notionVersion: "2025-09-03",
    retry: { maxRetries: 10 },
    logger: () => undefined,
  });
  const started = performance.now();
  let written = 0;
  for (const pageId of input.pageIds) {
    const page = await notion.pages.retrieve({ page_id: pageId });
    const value = "properties" in page ? page.properties[input.propertyName] : undefined;
    if (value?.type !== "rich_text" || value.rich_text.length > 0) continue;
    await notion.pages.update({
      page_id: pageId,
      properties: { [input.propertyName]: { rich_text: [{ text: { content: input.text } }] } },
    });
    written += 1;
  }
  return { written, wallMs: performance.now() - started };
}
