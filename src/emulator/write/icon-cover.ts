import type { Json } from "../json.ts";
import { isObject } from "../json.ts";
import { fixOneError, notAString, notAnObject } from "./messages.ts";

/**
 * A page's `icon` or `cover` from a request, in response form: `null` clears it; an emoji (icon
 * only) or an external URL becomes `{type, [type]}` even when the request left `type` out; a
 * Notion-hosted `file` value (as read from Notion) is kept as it is. Uploads and custom emojis are
 * not modelled. Throws 400 validation_error for anything else, as Notion does.
 *
 * @example iconOrCoverFromInput({ emoji: "🛴" }, "icon") // {type:"emoji", emoji:"🛴"}
 */
export function iconOrCoverFromInput(raw: Json, key: "icon" | "cover"): Json {
  if (raw === null) return null;
  if (!isObject(raw)) throw notAnObject(key, raw);
  const type =
    typeof raw.type === "string"
      ? raw.type
      : ["emoji", "external", "file"].find((candidate) => raw[candidate] !== undefined);
  if (type === "emoji" && key === "icon") {
    if (typeof raw.emoji !== "string") throw notAString(`${key}.emoji`, raw.emoji);
    return { type: "emoji", emoji: raw.emoji };
  }
  if (type === "external") {
    const external = raw.external;
    if (!isObject(external)) throw notAnObject(`${key}.external`, external);
    if (typeof external.url !== "string") throw notAString(`${key}.external.url`, external.url);
    return { type: "external", external: { url: external.url } };
  }
  if (type === "file" && isObject(raw.file) && typeof raw.file.url === "string") {
    return { type: "file", file: raw.file };
  }
  throw fixOneError(
    key,
    key === "icon"
      ? ["emoji", "external", "file_upload", "custom_emoji"]
      : ["external", "file_upload"],
  );
}
