import type { SeedFile } from "../emulator/index.ts";

type Loose = Record<string, unknown>;

const EDIT_METADATA = new Set(["last_edited_time", "last_edited_by"]);

/** A page without what every write changes by design: when and by whom it was last edited. */
function withoutEditMetadata(page: Loose): Loose {
  const properties: Loose = {};
  for (const [name, value] of Object.entries((page.properties ?? {}) as Record<string, Loose>)) {
    if (!EDIT_METADATA.has(String(value.type))) properties[name] = value;
  }
  const rest = Object.fromEntries(Object.entries(page).filter(([key]) => !EDIT_METADATA.has(key)));
  return { ...rest, properties };
}

/**
 * Where two states of a workspace differ, for the pages and schemas of the given data sources,
 * last-edited metadata aside. An empty list means "restored exactly".
 */
export function stateDifferences(
  before: SeedFile,
  after: SeedFile,
  dataSourceIds: ReadonlySet<string>,
): string[] {
  const differences: string[] = [];
  const inScope = (page: Loose) =>
    dataSourceIds.has(String((page.parent as Loose | undefined)?.data_source_id));
  const afterPages = new Map(after.pages.filter(inScope).map((page) => [String(page.id), page]));
  for (const page of before.pages.filter(inScope)) {
    const other = afterPages.get(String(page.id));
    if (!other) differences.push(`page ${String(page.id)} is missing`);
    else if (
      JSON.stringify(withoutEditMetadata(page)) !== JSON.stringify(withoutEditMetadata(other))
    ) {
      differences.push(`page ${String(page.id)} differs`);
    }
    afterPages.delete(String(page.id));
  }
  for (const id of afterPages.keys()) differences.push(`page ${id} was added`);
  const schemas = (state: SeedFile) =>
    new Map(
      state.data_sources
        .filter((source) => dataSourceIds.has(String(source.id)))
        .map((source) => [String(source.id), JSON.stringify(source.properties)]),
    );
  const afterSchemas = schemas(after);
  for (const [id, schema] of schemas(before)) {
    if (afterSchemas.get(id) !== schema)
      differences.push(`the schema of data source ${id} differs`);
  }
  return differences;
}

function isEmptyJson(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * How many property values that were NOT empty before a push differ after it (last-edited
 * metadata aside): the zero-overwrite promise, checked on Notion's side.
 */
export function overwrittenValues(
  before: SeedFile,
  after: SeedFile,
  dataSourceIds: ReadonlySet<string>,
): number {
  const afterPages = new Map(after.pages.map((page) => [String(page.id), page]));
  let count = 0;
  for (const page of before.pages) {
    if (!dataSourceIds.has(String((page.parent as Loose | undefined)?.data_source_id))) continue;
    const other = afterPages.get(String(page.id));
    const mine = (page.properties ?? {}) as Record<string, Loose>;
    const theirs = (other?.properties ?? {}) as Record<string, Loose>;
    for (const [name, value] of Object.entries(mine)) {
      if (EDIT_METADATA.has(String(value.type))) continue;
      const content = value[String(value.type)];
      if (isEmptyJson(content) || (value.type === "checkbox" && content === false)) continue;
      if (JSON.stringify(value) !== JSON.stringify(theirs[name])) count += 1;
    }
  }
  return count;
}
