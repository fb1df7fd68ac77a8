import { IdSource } from "../ids.ts";
import type { Json, JsonObject } from "../json.ts";
import type { SeedFile, SeedIntegration } from "../seed-file.ts";
import { comparePropertyIds, PropertyIdAllocator } from "./property-ids.ts";
import type { OptionRef } from "./property-values.ts";
import { emptyValue, propertyValue, uniqueIdValue } from "./property-values.ts";
import { plainTextOf } from "./rich-text.ts";
import type { AllocatedGroup, PropertySpec } from "./schema.ts";
import {
  allocateOptions,
  formulaConfig,
  formulaExpression,
  numberConfig,
  optionsConfig,
  relationConfig,
  rollupConfig,
  schemaProperty,
  statusConfig,
  uniqueIdConfig,
} from "./schema.ts";
import {
  databaseObject,
  databaseStamp,
  dataSourceObject,
  emojiIcon,
  pageObject,
  WORKSPACE_PARENT,
} from "./objects.ts";
import { userValue } from "./users.ts";

/** A data source to declare: one database holding one data source, as Notion creates them. */
export interface DataSourceSpec {
  key: string;
  title: string;
  emoji: string | null;
  description?: JsonObject[];
  createdTime: string;
  lastEditedTime: string;
  createdBy: string;
  properties: PropertySpec[];
}

/** A page to add: `values` holds the inner value of each writable property, keyed by name. */
export interface PageSpec {
  /** Name for {@link WorkspaceBuilder.pageId}, so relations can point here before it exists. */
  key?: string;
  values: Record<string, Json>;
  createdTime: string;
  lastEditedTime: string;
  createdBy: string;
  lastEditedBy: string;
  emoji?: string;
}

interface DefinedProperty {
  spec: PropertySpec;
  id: string;
  options: OptionRef[];
  groups: AllocatedGroup[];
}

/** A declared data source: its ids, and its select / status options for building values. */
export class DataSourceHandle {
  readonly properties = new Map<string, DefinedProperty>();
  /** Properties in Notion's response order. */
  readonly ordered: DefinedProperty[];
  pageCount = 0;

  constructor(
    readonly spec: DataSourceSpec,
    readonly id: string,
    readonly databaseId: string,
    ids: IdSource,
  ) {
    const allocator = new PropertyIdAllocator(spec.key);
    for (const property of spec.properties) {
      const defined: DefinedProperty = {
        spec: property,
        id: allocator.allocate(property.name, property.type),
        options: [],
        groups: [],
      };
      if (property.type === "select" || property.type === "multi_select") {
        defined.options = allocateOptions(property.options, ids);
      } else if (property.type === "status") {
        for (const group of property.groups) {
          const options = allocateOptions(group.options, ids);
          defined.options.push(...options);
          defined.groups.push({
            id: ids.next(),
            name: group.name,
            color: group.color,
            optionIds: options.map((o) => o.id),
          });
        }
      }
      this.properties.set(property.name, defined);
    }
    this.ordered = [...this.properties.values()].sort((a, b) => comparePropertyIds(a.id, b.id));
  }

  property(name: string): DefinedProperty {
    const found = this.properties.get(name);
    if (!found) throw new Error(`data source ${this.spec.title} has no property ${name}`);
    return found;
  }

  /** The option `optionName` of select / multi-select / status property `name`. */
  option(name: string, optionName: string): OptionRef {
    const found = this.property(name).options.find((o) => o.name === optionName);
    if (!found) throw new Error(`${this.spec.title}.${name} has no option ${optionName}`);
    return found;
  }
}

/**
 * Accumulates users, data sources and pages of one workspace and renders them as a
 * {@link SeedFile}. Deterministic: the same calls in the same order give the same ids.
 */
export class WorkspaceBuilder {
  readonly ids: IdSource;
  /** Stands in for the space id inside formula expressions. */
  readonly spaceId: string;
  private readonly users = new Map<string, JsonObject>();
  private readonly sources = new Map<string, DataSourceHandle>();
  private readonly pages: JsonObject[] = [];
  private readonly pageIds = new Map<string, string>();
  private readonly definedKeys = new Set<string>();

  constructor(seed: number) {
    this.ids = new IdSource(seed);
    this.spaceId = this.ids.next();
  }

  addUser(user: JsonObject): void {
    this.users.set(String(user.id), user);
  }

  user(id: string): JsonObject {
    const found = this.users.get(id);
    if (!found) throw new Error(`unknown user ${id}`);
    return found;
  }

  /** The id of the page called `key`, allocated on first use. */
  pageId(key: string): string {
    let id = this.pageIds.get(key);
    if (id === undefined) {
      id = this.ids.next();
      this.pageIds.set(key, id);
    }
    return id;
  }

  dataSource(spec: DataSourceSpec): DataSourceHandle {
    if (this.sources.has(spec.key)) throw new Error(`data source ${spec.key} declared twice`);
    const databaseId = this.ids.next();
    const handle = new DataSourceHandle(spec, this.ids.next(), databaseId, this.ids);
    this.sources.set(spec.key, handle);
    return handle;
  }

  source(key: string): DataSourceHandle {
    const found = this.sources.get(key);
    if (!found) throw new Error(`unknown data source ${key}`);
    return found;
  }

  /** Adds a page; read-only properties (timestamps, authors, unique ids) are derived. */
  addPage(source: DataSourceHandle, spec: PageSpec): JsonObject {
    for (const name of Object.keys(spec.values)) source.property(name);
    const id = spec.key === undefined ? this.ids.next() : this.pageId(spec.key);
    if (spec.key !== undefined) {
      if (this.definedKeys.has(spec.key)) throw new Error(`page ${spec.key} added twice`);
      this.definedKeys.add(spec.key);
    }
    source.pageCount += 1;
    let title = "";
    const properties: JsonObject = {};
    for (const defined of source.ordered) {
      const { name, type } = defined.spec;
      let value: Json;
      switch (defined.spec.type) {
        case "created_time":
          value = spec.createdTime;
          break;
        case "last_edited_time":
          value = spec.lastEditedTime;
          break;
        case "created_by":
          value = userValue(this.user(spec.createdBy));
          break;
        case "last_edited_by":
          value = userValue(this.user(spec.lastEditedBy));
          break;
        case "unique_id":
          value = uniqueIdValue(defined.spec.prefix, source.pageCount);
          break;
        default: {
          const given = spec.values[name];
          if (given === undefined && (type === "formula" || type === "rollup")) {
            throw new Error(`${source.spec.title}.${name}: ${type} values must be given`);
          }
          value = given ?? emptyValue(type);
        }
      }
      if (type === "title" && Array.isArray(value)) title = plainTextOf(value as JsonObject[]);
      properties[name] = propertyValue(defined.id, type, value);
    }
    const page = pageObject(
      {
        id,
        dataSourceId: source.id,
        databaseId: source.databaseId,
        title,
        createdTime: spec.createdTime,
        lastEditedTime: spec.lastEditedTime,
        createdBy: spec.createdBy,
        lastEditedBy: spec.lastEditedBy,
        icon: spec.emoji === undefined ? null : emojiIcon(spec.emoji),
      },
      properties,
    );
    this.pages.push(page);
    return page;
  }

  build(integration: SeedIntegration): SeedFile {
    for (const key of this.pageIds.keys()) {
      if (!this.definedKeys.has(key)) throw new Error(`page ${key} is referenced but never added`);
    }
    const databases: JsonObject[] = [];
    const dataSources: JsonObject[] = [];
    for (const source of this.sources.values()) {
      const { spec } = source;
      const icon = spec.emoji === null ? null : emojiIcon(spec.emoji);
      const meta = {
        title: spec.title,
        createdTime: spec.createdTime,
        lastEditedTime: spec.lastEditedTime,
        icon,
      };
      const stamp = (minute: string) => databaseStamp(minute, source.databaseId);
      databases.push(
        databaseObject(
          {
            ...meta,
            id: source.databaseId,
            createdTime: stamp(spec.createdTime),
            lastEditedTime: stamp(spec.lastEditedTime),
          },
          WORKSPACE_PARENT,
          [{ id: source.id, name: spec.title }],
        ),
      );
      dataSources.push(
        dataSourceObject(
          {
            ...meta,
            id: source.id,
            databaseId: source.databaseId,
            databaseParent: WORKSPACE_PARENT,
            description: spec.description ?? [],
            createdBy: spec.createdBy,
            lastEditedBy: spec.createdBy,
          },
          this.schemaOf(source),
        ),
      );
    }
    return {
      integration: { ...integration },
      users: [...this.users.values()].map((user) => structuredClone(user)),
      databases,
      data_sources: dataSources,
      pages: this.pages,
    };
  }

  private schemaOf(source: DataSourceHandle): JsonObject {
    const properties: JsonObject = {};
    for (const defined of source.ordered) {
      properties[defined.spec.name] = schemaProperty(
        defined.id,
        defined.spec.name,
        defined.spec.type,
        this.configOf(source, defined),
      );
    }
    return properties;
  }

  private configOf(source: DataSourceHandle, defined: DefinedProperty): JsonObject {
    const { spec } = defined;
    switch (spec.type) {
      case "number":
        return numberConfig(spec.format);
      case "select":
      case "multi_select":
        return optionsConfig(defined.options);
      case "status":
        return statusConfig(defined.options, defined.groups);
      case "relation": {
        const target = this.source(spec.target);
        const synced =
          spec.syncedWith === undefined
            ? undefined
            : { name: spec.syncedWith, id: target.property(spec.syncedWith).id };
        return relationConfig({ databaseId: target.databaseId, dataSourceId: target.id }, synced);
      }
      case "rollup": {
        const relation = source.property(spec.relation);
        if (relation.spec.type !== "relation")
          throw new Error(`${spec.relation} is not a relation`);
        const rolledUp = this.source(relation.spec.target).property(spec.property);
        return rollupConfig(
          { name: spec.relation, id: relation.id },
          { name: spec.property, id: rolledUp.id },
          spec.function,
        );
      }
      case "formula":
        return formulaConfig(
          formulaExpression(
            spec.expression,
            source.id,
            this.spaceId,
            (name) => source.property(name).id,
          ),
        );
      case "unique_id":
        return uniqueIdConfig(spec.prefix);
      default:
        return {};
    }
  }
}
