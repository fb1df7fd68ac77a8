import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { demoWorkspace } from "../../src/emulator/index.ts";
import { demoSourceId, pagesOf } from "./demo-lookups.ts";

/** The id of the person without a name (a guest who never set one). */
export const NAMELESS_PERSON_ID = "0b0e5a1c-3f0d-4c1e-9a6b-5e7f00000aa1";

/**
 * The demo workspace plus a person without a name (`name: null`, as Notion 2026-12-01 may show
 * one), who co-owns the first project: its Owner people value holds them after its owner. The
 * phase database's Lead (two pages empty) can then be filled with them, since the mirror has
 * seen them.
 */
export function demoWithNamelessPerson(): {
  seed: SeedFile;
  /** The project whose Owner holds the nameless person. */
  projectId: string;
} {
  const seed = demoWorkspace();
  const person: JsonObject = {
    object: "user",
    id: NAMELESS_PERSON_ID,
    name: null,
    avatar_url: null,
    type: "person",
    person: { email: "guest.0aa1@wt-studio.example" },
  };
  seed.users.push(person);
  const project = pagesOf(seed, demoSourceId(seed, "projects"))[0];
  if (!project) throw new Error("the demo has no project");
  const owner = (project.properties as Record<string, { people: JsonObject[] }>).Owner;
  if (!owner) throw new Error("the demo's projects have no Owner");
  owner.people.push({ ...person });
  return { seed, projectId: String(project.id) };
}
