import { declarationOf, TopicKind } from '../topic-declarations';
import { JsonSchema, standaloneSchemaOf } from './json-schemas';
import { VersionedTopic } from './schema-versions';

/**
 * The compatibility gate's judge: which changes between two JSON Schemas of one message type its
 * consumers survive. It follows Confluent Schema Registry's JSON Schema rules with one deliberate
 * difference: an object without `additionalProperties` is read as our classes behave, not as open
 * content. Producers build messages typed by the contract classes, so they write the declared fields, and
 * consumers validate with `whitelist: true`, so they drop fields they do not know; adding or removing an
 * optional field is therefore safe both ways (Confluent refuses both on an open content model).
 * An explicit `additionalProperties` is judged as Confluent does.
 */

/** BACKWARD: a consumer on the newer schema reads messages written with the older. FORWARD: the reverse. */
export type CompatibilityMode = 'BACKWARD' | 'FORWARD' | 'FULL';
export type CompatibilityDirection = Exclude<CompatibilityMode, 'FULL'>;

interface RuleDefinition {
  breaks: readonly CompatibilityDirection[];
  /** The change, from the older schema to the newer. */
  change: string;
}

const BACKWARD = ['BACKWARD'] as const;
const FORWARD = ['FORWARD'] as const;
const BOTH = ['BACKWARD', 'FORWARD'] as const;

/**
 * Every change the gate reports, and what it breaks. Any other change (an optional field added or
 * removed, a description) breaks nothing. Bounds: min* is minimum, exclusiveMinimum, minLength, minItems,
 * minProperties; max* likewise; a bound added counts as tightened, a bound removed as loosened.
 */
export const compatibilityRules = {
  'required-field-added': { breaks: BACKWARD, change: 'a field is required that was not (new or optional)' },
  'required-field-removed': { breaks: FORWARD, change: 'a required field is removed or made optional' },
  'field-added-to-closed-object': { breaks: FORWARD, change: 'a field added; the older forbids undeclared ones' },
  'field-removed-from-closed-object': { breaks: BACKWARD, change: 'a field removed; the newer forbids them' },
  'additional-properties-narrowed': { breaks: BACKWARD, change: 'undeclared fields were allowed, now are not' },
  'additional-properties-widened': { breaks: FORWARD, change: 'undeclared fields were forbidden, now are not' },
  'type-narrowed': { breaks: BACKWARD, change: 'number → integer, string → enum, a union loses a type' },
  'type-widened': { breaks: FORWARD, change: 'integer → number, enum → string, a union gains a type' },
  'type-changed': { breaks: BOTH, change: "string → integer (the field's other keywords are then not compared)" },
  'enum-value-removed': { breaks: BACKWARD, change: 'an enum loses a value' },
  'enum-value-added': { breaks: FORWARD, change: 'an enum gains a value' },
  'constraint-tightened': { breaks: BACKWARD, change: 'pattern, format, uniqueItems added; min* up; max* down' },
  'constraint-loosened': { breaks: FORWARD, change: 'pattern, format, uniqueItems removed; min* down; max* up' },
  'pattern-changed': { breaks: BOTH, change: 'another pattern (regular expressions are not compared for inclusion)' },
  'format-changed': { breaks: BOTH, change: 'another format' },
  'variant-removed': { breaks: BACKWARD, change: 'a oneOf/anyOf variant of the older matches none of the newer' },
  'variant-added': { breaks: FORWARD, change: 'a oneOf/anyOf variant of the newer matches none of the older' },
  'keyword-not-understood': { breaks: BOTH, change: 'a keyword the gate does not judge changed (allOf, not...)' },
} as const satisfies Record<string, RuleDefinition>;

export type CompatibilityRule = keyof typeof compatibilityRules;

export interface CompatibilityProblem {
  /** The field as a consumer names it, `payload.items[].sku`; `(message)` for the message itself. */
  path: string;
  rule: CompatibilityRule;
  detail: string;
  breaks: readonly CompatibilityDirection[];
}

type Finding = Omit<CompatibilityProblem, 'breaks'>;
type Compare = (older: SchemaNode, newer: SchemaNode, path: string) => Finding[];
type SchemaNode = JsonSchema | boolean;

/** What a consumer of `older` or `newer` could not read, by `mode`. */
export function compatibilityProblems(
  older: JsonSchema,
  newer: JsonSchema,
  mode: CompatibilityMode,
): CompatibilityProblem[] {
  const checked: readonly CompatibilityDirection[] = mode === 'FULL' ? BOTH : [mode];
  return schemaChanges(older, newer).filter((problem) => problem.breaks.some((broken) => checked.includes(broken)));
}

/** Every change from `older` to `newer` that a rule names, with what it breaks. */
export function schemaChanges(older: JsonSchema, newer: JsonSchema): CompatibilityProblem[] {
  const definitions = { older: older.$defs ?? {}, newer: newer.$defs ?? {} };
  // `comparing` holds the pairs of references being compared further up: a recursive definition ends there.
  const compare = (
    olderNode: SchemaNode,
    newerNode: SchemaNode,
    path: string,
    comparing: ReadonlySet<string>,
  ): Finding[] => {
    const references = `${refOf(olderNode)}|${refOf(newerNode)}`;
    const isReference = references !== '|';
    if (isReference && comparing.has(references)) return [];
    const inner = isReference ? new Set([...comparing, references]) : comparing;
    return compareSchemas(
      resolve(olderNode, definitions.older),
      resolve(newerNode, definitions.newer),
      path,
      (olderChild, newerChild, childPath) => compare(olderChild, newerChild, childPath, inner),
    );
  };
  return compare(older, newer, '', new Set()).map((finding) => ({
    ...finding,
    path: finding.path || '(message)',
    breaks: compatibilityRules[finding.rule].breaks,
  }));
}

/** One line per problem, for test failures and the snapshot tool. */
export function describeProblem(problem: CompatibilityProblem): string {
  return `${problem.path}: ${problem.rule} (${problem.detail}), breaks ${problem.breaks.join(' and ')}`;
}

function compareSchemas(older: JsonSchema, newer: JsonSchema, path: string, compare: Compare): Finding[] {
  const typeChange = compareTypes(older, newer, path);
  // Once the type is another, its constraints mean something else: the one change says it all.
  if (typeChange?.rule === 'type-changed') return [typeChange];
  return [
    ...(typeChange ? [typeChange] : []),
    ...compareEnums(older, newer, path),
    ...compareConstraints(older, newer, path),
    ...compareObjects(older, newer, path, compare),
    ...compareItems(older, newer, path, compare),
    ...compareVariants(older, newer, path, compare),
    ...compareOtherKeywords(older, newer, path),
  ];
}

function compareTypes(older: JsonSchema, newer: JsonSchema, path: string): Finding | undefined {
  const olderTypes = typesOf(older);
  const newerTypes = typesOf(newer);
  const narrowed = !readsAll(newerTypes, olderTypes);
  const widened = !readsAll(olderTypes, newerTypes);
  const detail = `${describeTypes(olderTypes)} → ${describeTypes(newerTypes)}`;
  if (narrowed && widened) return { path, rule: 'type-changed', detail };
  if (narrowed) return { path, rule: 'type-narrowed', detail };
  if (widened) return { path, rule: 'type-widened', detail };
  return undefined;
}

/** `undefined`: any type. */
function typesOf(schema: JsonSchema): readonly string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function readsAll(reader: readonly string[] | undefined, writer: readonly string[] | undefined): boolean {
  if (!reader) return true;
  if (!writer) return false;
  return writer.every((type) => reader.includes(type) || (type === 'integer' && reader.includes('number')));
}

function describeTypes(types: readonly string[] | undefined): string {
  return types ? types.join(' | ') : 'any type';
}

function compareEnums(older: JsonSchema, newer: JsonSchema, path: string): Finding[] {
  const before = older.enum;
  const after = newer.enum;
  if (!before && !after) return [];
  if (!before) return [{ path, rule: 'type-narrowed', detail: `any value → one of ${show(after)}` }];
  if (!after) return [{ path, rule: 'type-widened', detail: `one of ${show(before)} → any value` }];
  const missingFrom = (values: unknown[], value: unknown) => !values.some((other) => isSameJson(other, value));
  return [
    ...before
      .filter((value) => missingFrom(after, value))
      .map((value): Finding => ({ path, rule: 'enum-value-removed', detail: `${show(value)} is no longer accepted` })),
    ...after
      .filter((value) => missingFrom(before, value))
      .map((value): Finding => ({ path, rule: 'enum-value-added', detail: `${show(value)} is new` })),
  ];
}

const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
/** Keywords whose value is compared as a whole: a different value is another rule, not a bound moved. */
const exactConstraints = { pattern: 'pattern-changed', format: 'format-changed' } as const;

function compareConstraints(older: JsonSchema, newer: JsonSchema, path: string): Finding[] {
  const findings: Finding[] = [];
  const found = (rule: CompatibilityRule, keyword: string) =>
    findings.push({ path, rule, detail: `${keyword} ${show(older[keyword])} → ${show(newer[keyword])}` });
  for (const keyword of [...lowerBounds, ...upperBounds]) {
    const before = older[keyword] as number | undefined;
    const after = newer[keyword] as number | undefined;
    if (before === after) continue;
    // A lower bound tightens as it rises, an upper bound as it falls; an added bound tightens, a removed one loosens.
    const tighter = (upperBounds as readonly string[]).includes(keyword)
      ? (a: number, b: number) => a < b
      : (a: number, b: number) => a > b;
    const tightened = after !== undefined && (before === undefined || tighter(after, before));
    found(tightened ? 'constraint-tightened' : 'constraint-loosened', keyword);
  }
  for (const [keyword, changed] of Object.entries(exactConstraints)) {
    if (older[keyword] === newer[keyword]) continue;
    if (older[keyword] === undefined) found('constraint-tightened', keyword);
    else if (newer[keyword] === undefined) found('constraint-loosened', keyword);
    else found(changed, keyword);
  }
  if (Boolean(older.uniqueItems) !== Boolean(newer.uniqueItems)) {
    found(newer.uniqueItems ? 'constraint-tightened' : 'constraint-loosened', 'uniqueItems');
  }
  return findings;
}

function compareObjects(older: JsonSchema, newer: JsonSchema, path: string, compare: Compare): Finding[] {
  const olderFields = older.properties ?? {};
  const newerFields = newer.properties ?? {};
  const olderRequired = new Set(older.required ?? []);
  const newerRequired = new Set(newer.required ?? []);
  const changesOf = (name: string): Finding[] => {
    const at = fieldPath(path, name);
    const isOlderField = name in olderFields;
    const isNewerField = name in newerFields;
    const findings: Finding[] = [];
    if (newerRequired.has(name) && !olderRequired.has(name)) {
      findings.push({ path: at, rule: 'required-field-added', detail: isOlderField ? 'was optional' : 'a new field' });
    }
    if (olderRequired.has(name) && !newerRequired.has(name)) {
      findings.push({ path: at, rule: 'required-field-removed', detail: isNewerField ? 'now optional' : 'removed' });
    }
    if (isOlderField && isNewerField) findings.push(...compare(olderFields[name], newerFields[name], at));
    else if (isNewerField) findings.push(...fieldAdded(older.additionalProperties, newerFields[name], at, compare));
    else if (isOlderField) findings.push(...fieldRemoved(olderFields[name], newer.additionalProperties, at, compare));
    return findings;
  };
  const names = new Set([...Object.keys(olderFields), ...Object.keys(newerFields), ...olderRequired, ...newerRequired]);
  return [...[...names].flatMap(changesOf), ...compareAdditionalProperties(older, newer, path, compare)];
}

/** A field the newer declares: older messages held it only as an undeclared field, and older consumers read it as one. */
function fieldAdded(olderAdditional: unknown, newerField: SchemaNode, path: string, compare: Compare): Finding[] {
  if (olderAdditional === undefined) return []; // our default: never written, dropped when read
  if (olderAdditional === false) {
    return [{ path, rule: 'field-added-to-closed-object', detail: 'older consumers reject it' }];
  }
  return compare(olderAdditional as SchemaNode, newerField, path);
}

/** A field the newer no longer declares: newer consumers read it as an undeclared field. */
function fieldRemoved(olderField: SchemaNode, newerAdditional: unknown, path: string, compare: Compare): Finding[] {
  if (newerAdditional === undefined) return [];
  if (newerAdditional === false) {
    return [{ path, rule: 'field-removed-from-closed-object', detail: 'newer consumers reject it' }];
  }
  return compare(olderField, newerAdditional as SchemaNode, path);
}

/** Fields neither declares: only an explicit `additionalProperties` (true or a schema) lets a producer write them. */
function compareAdditionalProperties(older: JsonSchema, newer: JsonSchema, path: string, compare: Compare): Finding[] {
  const before = older.additionalProperties;
  const after = newer.additionalProperties;
  const writes = (additional: unknown) => additional === true || typeof additional === 'object';
  const detail = `additionalProperties ${show(before)} → ${show(after)}`;
  if (writes(before) && after === false) return [{ path, rule: 'additional-properties-narrowed', detail }];
  if (before === false && writes(after)) return [{ path, rule: 'additional-properties-widened', detail }];
  if (writes(before) && writes(after)) return compare(before as SchemaNode, after as SchemaNode, fieldPath(path, '*'));
  return [];
}

function compareItems(older: JsonSchema, newer: JsonSchema, path: string, compare: Compare): Finding[] {
  if (older.items === undefined && newer.items === undefined) return [];
  return compare(older.items ?? true, newer.items ?? true, `${path}[]`);
}

/**
 * oneOf/anyOf: each variant a producer may write must be read by some variant of the consumer's schema.
 * Variants are matched whole, without the keywords beside them, which are compared on their own above.
 */
function compareVariants(older: JsonSchema, newer: JsonSchema, path: string, compare: Compare): Finding[] {
  if (!variantsOf(older) && !variantsOf(newer)) return [];
  const olderVariants = variantsOf(older) ?? [withoutVariants(older)];
  const newerVariants = variantsOf(newer) ?? [withoutVariants(newer)];
  const matches = (olderVariant: SchemaNode, newerVariant: SchemaNode, direction: CompatibilityDirection) =>
    !breaksAny(compare(olderVariant, newerVariant, path), direction);
  return [
    ...olderVariants
      .filter((variant) => !newerVariants.some((newerVariant) => matches(variant, newerVariant, 'BACKWARD')))
      .map((variant): Finding => ({
        path,
        rule: 'variant-removed',
        detail: `no newer variant reads ${show(variant)}`,
      })),
    ...newerVariants
      .filter((variant) => !olderVariants.some((olderVariant) => matches(olderVariant, variant, 'FORWARD')))
      .map((variant): Finding => ({ path, rule: 'variant-added', detail: `no older variant reads ${show(variant)}` })),
  ];
}

function variantsOf(schema: JsonSchema): readonly SchemaNode[] | undefined {
  return (schema.oneOf ?? schema.anyOf) as readonly SchemaNode[] | undefined;
}

/** A schema without oneOf/anyOf is its own single variant. */
function withoutVariants(schema: JsonSchema): JsonSchema {
  const { oneOf: _oneOf, anyOf: _anyOf, ...rest } = schema;
  return rest;
}

function breaksAny(findings: readonly Finding[], direction: CompatibilityDirection): boolean {
  return findings.some((finding) => (compatibilityRules[finding.rule].breaks as readonly string[]).includes(direction));
}

/** Keywords compared above, and annotations that no consumer reads. */
const judgedKeywords = new Set<string>([
  'type',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'oneOf',
  'anyOf',
  '$ref',
  '$defs',
  'uniqueItems',
  ...lowerBounds,
  ...upperBounds,
  ...Object.keys(exactConstraints),
  'title',
  'description',
  'examples',
  'default',
  '$comment',
  '$schema',
  '$id',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** A change the rules do not cover is assumed to break both ways: the gate may refuse, never wave through. */
function compareOtherKeywords(older: JsonSchema, newer: JsonSchema, path: string): Finding[] {
  const keywords = new Set([...Object.keys(older), ...Object.keys(newer)]);
  return [...keywords]
    .filter((keyword) => !judgedKeywords.has(keyword) && !isSameJson(older[keyword], newer[keyword]))
    .map((keyword) => ({
      path,
      rule: 'keyword-not-understood',
      detail: `${keyword} ${show(older[keyword])} → ${show(newer[keyword])}`,
    }));
}

const LOCAL_REFERENCE = '#/$defs/';

function refOf(node: SchemaNode): string {
  return typeof node === 'object' && typeof node.$ref === 'string' ? node.$ref : '';
}

/** A node as a plain schema: `true` accepts anything, `false` nothing, a `$ref` becomes its definition plus its siblings. */
function resolve(node: SchemaNode, definitions: Record<string, JsonSchema>): JsonSchema {
  if (node === true) return {};
  if (node === false) return { not: {} };
  const { $ref, ...siblings } = node;
  if ($ref === undefined) return node;
  const definition = $ref.startsWith(LOCAL_REFERENCE) ? definitions[$ref.slice(LOCAL_REFERENCE.length)] : undefined;
  if (!definition) throw new Error(`cannot resolve ${$ref}: only #/$defs/<Name> of the same schema is supported`);
  return { ...definition, ...siblings };
}

/** Equal as JSON: key order aside, and whichever realm built the objects (Jest's differs from Node's). */
export function isSameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * JSON with every object's keys in code-point order (arrays keep theirs): equal values give equal text,
 * on any machine and in any locale, so a digest of it can be stored and compared later.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}

function fieldPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}

/** The kinds of topic whose messages have a versioned schema (replies are views, dead letters copies). */
export type VersionedKind = Extract<TopicKind, 'request' | 'command' | 'event' | 'stream-result'>;

/**
 * How compatible each version must be with every earlier one of its line. Always transitive: a consumer
 * may meet any older message still on a topic, re-read by a rebuild or replayed from a dead letter.
 * - event, command, FULL: several services consume them and deploy on their own schedule, so newer
 *   consumers read older messages and older consumers read newer ones.
 * - stream-result, FULL: the Java processor writes them and analytics reads them, deployed apart, and the
 *   compacted topics keep old records.
 * - request, BACKWARD: only the one serving app reads a request topic, and it is deployed before its
 *   callers, so no consumer on an older schema meets a newer request: a request may loosen what the
 *   server accepts (an enum value added, a bound relaxed, a required field dropped), never tighten it.
 */
export const compatibilityModes: Record<VersionedKind, CompatibilityMode> = {
  event: 'FULL',
  command: 'FULL',
  'stream-result': 'FULL',
  request: 'BACKWARD',
};

export function compatibilityModeOf(topic: VersionedTopic): CompatibilityMode {
  const kind = declarationOf(topic)?.kind;
  if (!kind || !(kind in compatibilityModes)) throw new Error(`${topic} is not a versioned message type`);
  return compatibilityModes[kind as VersionedKind];
}

/** The schema a message type has now, from its contract class. */
export function currentSchemaOf(topic: VersionedTopic): JsonSchema {
  const message = declarationOf(topic)?.message;
  if (!message) throw new Error(`${topic} declares no message class`);
  return standaloneSchemaOf(message);
}

/**
 * The gate for one message type: `current` against each earlier snapshot of its line of compatibility
 * (transitive), one line per problem naming the version, the field and the rule.
 */
export function transitiveProblems(
  current: JsonSchema,
  earlier: ReadonlyMap<number, JsonSchema>,
  mode: CompatibilityMode,
): string[] {
  return [...earlier].flatMap(([version, snapshot]) =>
    compatibilityProblems(snapshot, current, mode).map((problem) => `against v${version}: ${describeProblem(problem)}`),
  );
}
