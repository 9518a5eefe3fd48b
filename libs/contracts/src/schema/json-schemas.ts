import { IS_ISO8601 } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * JSON Schemas read from the contract classes' class-validator decorators (the classes stay the one
 * source of truth: the documents, the snapshots and the validation pipe's compiled validators are derived).
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

// class-transformer types its metadata storage (nested `@Type`s) apart from the module that holds it.
type ClassTransformerStorage = typeof import('class-transformer/types/storage');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as ClassTransformerStorage;

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * `@IsISO8601()` takes a date or a date-time. The library's default says so with `oneOf`, which a
 * validator that treats `format` as an annotation (the JSON Schema default) fails for every value,
 * since both branches match; `anyOf` means the same without that trap.
 */
const ISO_8601 = { type: 'string' as const, anyOf: [{ format: 'date' }, { format: 'date-time' }] };

let components: Record<string, JsonSchema> | undefined;

/** Every contract class's schema by class name, nested classes referenced as `#/components/schemas/<Name>`. */
export function componentSchemas(): Record<string, JsonSchema> {
  components ??= validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: COMPONENT_PREFIX,
    additionalConverters: { [IS_ISO8601]: ISO_8601 },
  }) as Record<string, JsonSchema>;
  return components;
}

/** The name a class's schema is kept under (an envelope subclass without decorators of its own: its parent's). */
/** Any contract class (a plain class or an envelope class). */
export type ContractClass = abstract new () => object;

export function schemaNameOf(messageClass: ContractClass): string {
  const schemas = componentSchemas();
  for (let current: ContractClass | null = messageClass; current && current.name;) {
    if (schemas[current.name]) return current.name;
    current = Object.getPrototypeOf(current) as ContractClass | null;
  }
  throw new Error(`${messageClass.name} has no class-validator metadata to derive a schema from`);
}

/** A self-contained schema of one class: nested classes inlined under `$defs`, referenced as `#/$defs/<Name>`. */
export function standaloneSchemaOf(messageClass: ContractClass): JsonSchema {
  const schemas = componentSchemas();
  const root = schemaNameOf(messageClass);
  const defs: Record<string, JsonSchema> = {};
  const pending = [...referencedNames(schemas[root])];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (defs[name]) continue;
    defs[name] = rewriteRefs(schemas[name]);
    pending.push(...referencedNames(schemas[name]));
  }
  const schema = rewriteRefs(schemas[root]);
  return Object.keys(defs).length > 0 ? { ...schema, $defs: sortKeys(defs) } : schema;
}

function referencedNames(schema: unknown): string[] {
  const found: string[] = [];
  visit(schema, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(COMPONENT_PREFIX)) {
      found.push(node.$ref.slice(COMPONENT_PREFIX.length));
    }
  });
  return found;
}

function rewriteRefs(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll(`"${COMPONENT_PREFIX}`, '"#/$defs/')) as JsonSchema;
}

function visit(node: unknown, onObject: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((child) => visit(child, onObject));
  else if (node && typeof node === 'object') {
    onObject(node as Record<string, unknown>);
    Object.values(node).forEach((child) => visit(child, onObject));
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
