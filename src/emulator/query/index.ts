export type { FilterOptions, PagePredicate } from "./filter.ts";
export { compileFilter } from "./filter.ts";
export type { PageComparator, SortOptions } from "./sort.ts";
export { compileSorts } from "./sort.ts";
export { parseFilterProperties, projectProperties } from "./filter-properties.ts";
