import { ContractClass, JsonSchema, schemaNameOf, standaloneSchemaOf } from '@orderflow/contracts';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { getMetadataStorage, isISO8601, isUUID, length, ValidationTypes } from 'class-validator';
import { isDeepStrictEqual } from 'node:util';

// class-transformer types its metadata storage (nested `@Type`s) apart from the module that holds it.
type ClassTransformerStorage = typeof import('class-transformer/types/storage');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as ClassTransformerStorage;

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/**
 * A class's validator compiled from its derived JSON Schema (libs/contracts' json-schemas.ts), or why
 * it stays with class-validator: the schema is compiled only when every decorator of the class and of
 * its nested classes is one whose schema means exactly what class-validator checks.
 */
export type CompiledValidation = { validate: ValidateFunction } | { fallback: string };

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
const any = (): boolean => true;
const isBound = ([bound]: unknown[]): boolean => typeof bound === 'number';

/**
 * The decorators the compiled validator reproduces exactly, by constraint name: the JSON type each
 * implies, and the options it takes here (the ones the formats and keywords below implement).
 */
const reproducedConstraints: Record<string, { type: JsonType; accepts: (constraints: unknown[]) => boolean }> = {
  isString: { type: 'string', accepts: any },
  isInt: { type: 'integer', accepts: any },
  isBoolean: { type: 'boolean', accepts: any },
  isArray: { type: 'array', accepts: any },
  isObject: { type: 'object', accepts: any },
  isLength: {
    type: 'string',
    accepts: ([min, max]) => typeof min === 'number' && (max === undefined || isBound([max])),
  },
  minLength: { type: 'string', accepts: isBound },
  maxLength: { type: 'string', accepts: isBound },
  min: { type: 'number', accepts: isBound },
  max: { type: 'number', accepts: isBound },
  arrayMinSize: { type: 'array', accepts: isBound },
  arrayMaxSize: { type: 'array', accepts: isBound },
  isIn: {
    type: 'string',
    accepts: ([values]) => Array.isArray(values) && values.every((value) => typeof value === 'string'),
  },
  // Ajv builds a pattern's RegExp from its source alone: flags would be lost.
  matches: {
    type: 'string',
    accepts: ([pattern, modifiers]) =>
      (pattern instanceof RegExp && pattern.flags === '') || (typeof pattern === 'string' && !modifiers),
  },
  isUuid: { type: 'string', accepts: ([version]) => version === undefined },
  isIso8601: { type: 'string', accepts: ([options]) => isDeepStrictEqual(options, { strict: true }) },
};

/**
 * Formats and string lengths are class-validator's own predicates, so that a uuid, an ISO 8601 date
 * or a length (validator.js does not count U+FE0E/U+FE0F) passes exactly when it does today. The
 * schema writes `@IsISO8601()` as "a date or a date-time"; both formats are that one predicate.
 * `removeAdditional` strips what the class does not declare (class-validator's `whitelist`), and
 * patterns are compiled without the `u` flag, as class-validator's RegExps are.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({ removeAdditional: 'all', unicodeRegExp: false, strict: false, allErrors: false });
  const iso8601 = { type: 'string', validate: (value: string) => isISO8601(value, { strict: true }) } as const;
  ajv.addFormat('uuid', { type: 'string', validate: (value: string) => isUUID(value) });
  ajv.addFormat('date', iso8601);
  ajv.addFormat('date-time', iso8601);
  ajv.addKeyword({
    keyword: LENGTH_KEYWORD,
    type: 'string',
    schemaType: 'object',
    errors: false,
    validate: (range: { min?: number; max?: number }, value: string) => length(value, range.min ?? 0, range.max),
  });
  return ajv;
}

const LENGTH_KEYWORD = 'classValidatorLength';

let ajv: Ajv | undefined;
const compiled = new Map<ContractClass, CompiledValidation>();

/** The class's validator, compiled on first use and kept for the life of the process. */
export function compiledValidationOf(messageClass: ContractClass): CompiledValidation {
  let validation = compiled.get(messageClass);
  if (!validation) {
    validation = compile(messageClass);
    compiled.set(messageClass, validation);
  }
  return validation;
}

/** Ajv's errors as problem lines (`payload.items.0: must be object`), for what class-validator lets pass. */
export function compiledValidationProblems(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath.split('/').slice(1);
    if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
    return `${segments.join('.') || 'value'}: ${error.message ?? `fails ${error.keyword}`}`;
  });
}

class Unreproducible extends Error {}

function compile(messageClass: ContractClass): CompiledValidation {
  let schema: JsonSchema;
  let name: string;
  try {
    name = schemaNameOf(messageClass);
    schema = standaloneSchemaOf(messageClass);
  } catch (error) {
    return { fallback: (error as Error).message };
  }
  try {
    const defs: Record<string, JsonSchema> = {};
    const root = reproduce(messageClass, name, schema, schema.$defs ?? {}, defs, new Map());
    ajv ??= createAjv();
    return { validate: ajv.compile(Object.keys(defs).length > 0 ? { ...root, $defs: defs } : root) };
  } catch (error) {
    if (error instanceof Unreproducible) return { fallback: error.message };
    throw error;
  }
}

/**
 * The schema of `type` (kept under `name`) as the compiled validator runs it, after checking that it
 * says what the class's decorators say: the same properties, only reproduced decorators, nested classes
 * where `@Type` points. `@IsOptional()` lets null through as well as absence, as class-validator does.
 */
function reproduce(
  type: ContractClass,
  name: string,
  schema: JsonSchema,
  derivedDefs: Record<string, JsonSchema>,
  defs: Record<string, JsonSchema>,
  nestedClasses: Map<string, ContractClass>,
): JsonSchema {
  const owner = classNamed(type, name);
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    const target = metadata.target as ContractClass;
    if (target !== owner && !(owner.prototype instanceof target)) {
      throw new Unreproducible(`${type.name}: decorators of ${target.name} are not in the schema of ${name}`);
    }
    checkReproduced(type, metadata);
    byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  }
  const properties = schema.properties ?? {};
  const declared = [...byProperty.keys()].sort();
  if (!isDeepStrictEqual(declared, Object.keys(properties).sort())) {
    throw new Unreproducible(`${type.name}: the schema of ${name} lists other properties than its decorators`);
  }
  const required = declared.filter((property) => !byProperty.get(property)!.some(isOptional));
  if (!isDeepStrictEqual(required, [...(schema.required ?? [])].sort())) {
    throw new Unreproducible(`${type.name}: the schema of ${name} requires other properties than its decorators`);
  }

  const reproduced: Record<string, JsonSchema> = {};
  for (const [property, propertyMetadatas] of byProperty) {
    if (propertyMetadatas.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION)) {
      reproduceNested(type, property, properties[property], derivedDefs, defs, nestedClasses);
    }
    const propertySchema = withLengthKeyword(withImpliedType(type, property, properties[property], propertyMetadatas));
    reproduced[property] = propertyMetadatas.some(isOptional)
      ? { anyOf: [{ type: 'null' }, propertySchema] }
      : propertySchema;
  }
  const { $defs: _derivedDefs, ...rest } = schema;
  return { ...rest, properties: reproduced };
}

function checkReproduced(type: ContractClass, metadata: ValidationMetadata): void {
  const where = `${type.name}.${metadata.propertyName}`;
  if ((metadata.groups ?? []).length > 0 || metadata.always) throw new Unreproducible(`${where}: validation groups`);
  if (metadata.each && metadata.type !== ValidationTypes.NESTED_VALIDATION) {
    throw new Unreproducible(`${where}: ${metadata.name ?? metadata.type} with { each: true }`);
  }
  switch (metadata.type) {
    case ValidationTypes.NESTED_VALIDATION:
    case ValidationTypes.IS_DEFINED:
      return;
    case ValidationTypes.CONDITIONAL_VALIDATION:
      if (isOptional(metadata)) return;
      throw new Unreproducible(`${where}: @ValidateIf`);
    case ValidationTypes.CUSTOM_VALIDATION:
      if (metadata.name && reproducedConstraints[metadata.name]?.accepts(metadata.constraints ?? [])) return;
      throw new Unreproducible(`${where}: ${metadata.name ?? 'a custom constraint'} as declared`);
    default:
      throw new Unreproducible(`${where}: ${metadata.type}`);
  }
}

function reproduceNested(
  type: ContractClass,
  property: string,
  schema: JsonSchema,
  derivedDefs: Record<string, JsonSchema>,
  defs: Record<string, JsonSchema>,
  nestedClasses: Map<string, ContractClass>,
): void {
  const nestedType = defaultMetadataStorage.findTypeMetadata(type, property);
  const nested = (nestedType && !nestedType.options?.discriminator ? nestedType.typeFunction() : undefined) as
    ContractClass | undefined;
  const reference = schema.$ref ?? schema.items?.$ref;
  const nestedName = reference?.replace('#/$defs/', '');
  if (typeof nested !== 'function' || !nestedName || !derivedDefs[nestedName]) {
    throw new Unreproducible(`${type.name}.${property}: nested without a @Type class the schema refers to`);
  }
  const known = nestedClasses.get(nestedName);
  if (known && known !== nested) throw new Unreproducible(`${type.name}.${property}: two classes named ${nestedName}`);
  if (known) return;
  nestedClasses.set(nestedName, nested);
  defs[nestedName] = reproduce(nested, nestedName, derivedDefs[nestedName], derivedDefs, defs, nestedClasses);
}

function isOptional(metadata: ValidationMetadata): boolean {
  return metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name === 'isOptional';
}

/** The class in `type`'s inheritance chain whose schema is kept under `name`. */
function classNamed(type: ContractClass, name: string): ContractClass {
  for (let current: ContractClass | null = type; current && current.name; current = Object.getPrototypeOf(current)) {
    if (current.name === name) return current;
  }
  throw new Unreproducible(`${type.name}: no class named ${name} in its chain`);
}

/**
 * The type every constraint of the property agrees on. The derived schema merges the types of its
 * decorators' schemas, the last one winning, so `@Min(1) @IsInt()` would say `number` where
 * class-validator requires an integer.
 */
function withImpliedType(
  type: ContractClass,
  property: string,
  schema: JsonSchema,
  metadatas: ValidationMetadata[],
): JsonSchema {
  const implied = new Set<JsonType>();
  for (const { name } of metadatas) {
    const constraint = name ? reproducedConstraints[name] : undefined;
    if (constraint) implied.add(constraint.type);
  }
  if (implied.has('integer')) implied.delete('number');
  if (implied.size === 0) return schema;
  if (implied.size > 1)
    throw new Unreproducible(`${type.name}.${property}: constraints of types ${[...implied].join(', ')}`);
  return { ...schema, type: [...implied][0] };
}

/** `minLength`/`maxLength` as class-validator's `length` (see `createAjv`). */
function withLengthKeyword(schema: JsonSchema): JsonSchema {
  if (schema.minLength === undefined && schema.maxLength === undefined) return schema;
  const { minLength, maxLength, ...rest } = schema;
  return { ...rest, [LENGTH_KEYWORD]: { min: minLength, max: maxLength } };
}
