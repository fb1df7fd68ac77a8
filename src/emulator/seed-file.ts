import type { JsonObject } from "./json.ts";

/** The integration the emulator answers as: its bot user is `users[bot_user_id]`. */
export interface SeedIntegration {
  id: string;
  name: string;
  bot_user_id: string;
  workspace_name: string;
}

/**
 * A whole emulated workspace, every object in Notion's own response format (API 2025-09-03; each
 * answer is then shaped for the version asked, see SERVED_VERSIONS), so loading it is a copy and
 * dumping the emulator gives a seed back. A person without a name has `name: null`.
 *
 * - `users`: person users `{object:"user", id, name, avatar_url, type:"person", person:{email}}`
 *   and the integration's bot `{type:"bot", bot:{owner:{type:"workspace", workspace:true},
 *   workspace_name}}`.
 * - `databases`: as `GET /v1/databases/{id}` returns them, without `request_id`.
 * - `data_sources`: as `GET /v1/data_sources/{id}` returns them, without `request_id`.
 * - `pages`: as `GET /v1/pages/{id}` returns them, except that relation lists are complete
 *   (`has_more: false`) where Notion would cut them at 25.
 */
export interface SeedFile {
  integration: SeedIntegration;
  users: JsonObject[];
  databases: JsonObject[];
  data_sources: JsonObject[];
  pages: JsonObject[];
}
