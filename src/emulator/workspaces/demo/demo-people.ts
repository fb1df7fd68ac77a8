import type { JsonObject } from "../../json.ts";
import type { SeedIntegration } from "../../seed-file.ts";
import { isoMinute } from "../../clock.ts";
import { DEMO_FACTS } from "./demo-facts.ts";
import { botUser, personUser } from "../users.ts";
import type { WorkspaceBuilder } from "../workspace-builder.ts";

/** The demo's people, by first name, plus the integration. */
export interface DemoPeople {
  maya: JsonObject;
  jonas: JsonObject;
  priya: JsonObject;
  tomas: JsonObject;
  hannah: JsonObject;
  leo: JsonObject;
  bot: JsonObject;
  all: JsonObject[];
  integration: SeedIntegration;
}

const PEOPLE = [
  ["maya", "Maya Okafor", "maya.okafor@wt-studio.example", true],
  ["jonas", "Jonas Reiter", "jonas.reiter@wt-studio.example", true],
  ["priya", "Priya Raman", "priya.raman@wt-studio.example", false],
  ["tomas", "Tomás Alvarez", "tomas.alvarez@wt-studio.example", true],
  ["hannah", "Hannah Kim", "hannah.kim@wt-studio.example", false],
  ["leo", "Leo Marchetti", "leo.marchetti@wt-studio.example", false],
] as const;

export function demoPeople(ws: WorkspaceBuilder): DemoPeople {
  const byKey = new Map<string, JsonObject>();
  for (const [key, name, email, hasAvatar] of PEOPLE) {
    const avatar = hasAvatar ? `https://avatars.wt-studio.example/${key}.png` : null;
    const user = personUser(ws.ids.next(), name, email, avatar);
    byKey.set(key, user);
    ws.addUser(user);
  }
  const bot = botUser(ws.ids.next(), DEMO_FACTS.integrationName, DEMO_FACTS.workspaceName);
  ws.addUser(bot);
  const get = (key: string): JsonObject => {
    const user = byKey.get(key);
    if (!user) throw new Error(`no demo person ${key}`);
    return user;
  };
  return {
    maya: get("maya"),
    jonas: get("jonas"),
    priya: get("priya"),
    tomas: get("tomas"),
    hannah: get("hannah"),
    leo: get("leo"),
    bot,
    all: [...byKey.values()],
    integration: {
      id: ws.ids.next(),
      name: DEMO_FACTS.integrationName,
      bot_user_id: String(bot.id),
      workspace_name: DEMO_FACTS.workspaceName,
    },
  };
}

/** A timestamp in July 2025 (UTC), on the minute as Notion reports them. */
export function july(day: number, hour: number, minute = 0): string {
  return isoMinute(new Date(Date.UTC(2025, 6, day, hour, minute)));
}

/** `minutes` after `iso`, on the minute. */
export function later(iso: string, minutes: number): string {
  return isoMinute(new Date(Date.parse(iso) + minutes * 60_000));
}
