/**
 * Notion's write limits for property values (developers.notion.com, "Request limits"). Lengths are
 * counted in UTF-16 code units, as JavaScript's `length` counts them.
 */
export const NOTION_LIMITS = {
  /** `text.content` of one rich text item. */
  textContent: 2000,
  /** `text.link.url` of one rich text item. */
  linkUrl: 2000,
  /** `equation.expression` of one rich text item. */
  equationExpression: 1000,
  /** Items of one title / rich_text array. */
  richTextItems: 100,
  /** Items of a relation, people, multi_select or files array. */
  arrayItems: 100,
  /** A url property value. */
  url: 2000,
  /** An email property value. */
  email: 200,
  /** A phone_number property value. */
  phoneNumber: 200,
  /** The name of a select / multi_select option. */
  optionName: 100,
} as const;
