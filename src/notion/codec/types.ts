import type {
  DataSourceObjectResponse,
  PageObjectResponse,
  UpdatePageParameters,
} from "@notionhq/client";

/** A property value as a page object carries it: `{id, type, [type]: …}`. */
export type PropertyValue = PageObjectResponse["properties"][string];

/** Every property type a page can hold (`"title"`, `"relation"`, `"verification"`, …). */
export type PropertyType = PropertyValue["type"];

/** One property's value in the body of PATCH /v1/pages/{id} (`properties[name]`). */
export type UpdatePropertyPayload = NonNullable<UpdatePageParameters["properties"]>[string];

/** A data source's schema entry for one property, as Notion returns it. */
export type SchemaProperty = DataSourceObjectResponse["properties"][string];

/** The value Notion computes for a rollup property. */
export type RollupValue = Extract<PropertyValue, { type: "rollup" }>["rollup"];

/** One element of an array rollup: a property value without its id. */
export type RollupArrayItem = Extract<RollupValue, { type: "array" }>["array"][number];

/** Anything that holds a property's content: a page's value, or an item of an array rollup. */
export type PropertyContent = PropertyValue | RollupArrayItem;

/** The value of a property of type `T`. */
export type ValueOf<T extends PropertyType> = Extract<PropertyContent, { type: T }>;

/**
 * A JSON-able value: what a SQL view column shows and what a fill rule returns, before it is
 * typed for Notion. See {@link naturalValue}.
 */
export type NaturalValue =
  null | boolean | number | string | NaturalValue[] | { [key: string]: NaturalValue };

/**
 * The outcome of converting a value to a request payload: the payload, or a human sentence saying
 * why there is none. Never an exception: a refusal is data the plan or the revert reports.
 * `adjusted` is set when the payload writes a value other than the one given, because Notion would
 * store it so anyway (a date-time's seconds): the value as it will be stored, in the natural form,
 * and a sentence for the plan saying what changed and why.
 */
export type PayloadResult =
  | { ok: true; payload: UpdatePropertyPayload; adjusted?: { natural: NaturalValue; note: string } }
  | { ok: false; reason: string };

/** The payload for the property type named `K` (`{rich_text: […]}`, `{select: …}`, …). */
export type PayloadOf<K extends string> = Extract<UpdatePropertyPayload, Record<K, unknown>>;

/** A date in a request: `{start, end?, time_zone?}`. */
export type DateRequest = NonNullable<PayloadOf<"date">["date"]>;

/** One rich text item in a request (text, mention or equation). */
export type RichTextItemRequest = PayloadOf<"rich_text">["rich_text"][number];
