/**
 * Property ids in Notion's style: four printable characters, URL-encoded (`%3FbAF`, `grew`,
 * `v_%5D%3C`), except the title property whose id is always `title`. Derived from a hash of the
 * owner and the name, so they are stable across runs and across unrelated schema edits.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz?:;<=>@[\\]^_`{|}~";

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The raw (decoded) four-character id for `name` within `owner`, salted to dodge collisions. */
function rawId(owner: string, name: string, salt: number): string {
  let hash = fnv1a(`${owner}\u0000${name}\u0000${salt}`);
  let id = "";
  for (let i = 0; i < 4; i += 1) {
    id += ALPHABET[hash % ALPHABET.length] ?? "A";
    hash = (Math.floor(hash / ALPHABET.length) ^ (Math.imul(hash, 0x9e3779b1) >>> 7)) >>> 0;
  }
  return id;
}

/**
 * Allocates property ids for one data source. Returns the URL-encoded id as pages and schemas
 * carry it; never returns the same id twice for one allocator.
 */
export class PropertyIdAllocator {
  private readonly taken = new Set<string>(["title"]);
  constructor(private readonly owner: string) {}

  allocate(name: string, type: string): string {
    if (type === "title") return "title";
    for (let salt = 0; ; salt += 1) {
      const id = encodeURIComponent(rawId(this.owner, name, salt));
      if (!this.taken.has(id)) {
        this.taken.add(id);
        return id;
      }
    }
  }
}

/**
 * Notion's property order in responses: by id, with `title` last (as in the recorded
 * `GET /v1/data_sources` fixtures).
 */
export function comparePropertyIds(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "title") return 1;
  if (b === "title") return -1;
  return a < b ? -1 : 1;
}
