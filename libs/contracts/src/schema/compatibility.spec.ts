import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { earlierVersionsInLine } from './breaking-changes';
import {
  compatibilityModeOf,
  compatibilityProblems,
  CompatibilityProblem,
  describeProblem,
  transitiveProblems,
} from './compatibility';
import { JsonSchema } from './json-schemas';

/** What each mode refuses of the change from `older` to `newer`, as `path: rule`. */
function verdicts(older: JsonSchema, newer: JsonSchema): { BACKWARD: string[]; FORWARD: string[] } {
  const named = (problems: CompatibilityProblem[]) => problems.map(({ path, rule }) => `${path}: ${rule}`);
  return {
    BACKWARD: named(compatibilityProblems(older, newer, 'BACKWARD')),
    FORWARD: named(compatibilityProblems(older, newer, 'FORWARD')),
  };
}

const fine = { BACKWARD: [], FORWARD: [] };

function object(properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, required, ...extra };
}

const text: JsonSchema = { type: 'string' };
const count: JsonSchema = { type: 'integer' };

function snapshot(topic: string, version = 1): JsonSchema {
  return JSON.parse(readFileSync(join(__dirname, '../../schemas', topic, `v${version}.json`), 'utf8')) as JsonSchema;
}

describe('compatibilityProblems', () => {
  it('finds nothing between a schema and itself', () => {
    const schema = object({ id: text, tags: { type: 'array', items: text } }, ['id']);
    expect(verdicts(schema, structuredClone(schema))).toEqual(fine);
  });

  it('checks both directions in FULL mode', () => {
    const older = object({ id: text, note: text }, ['id', 'note']);
    const newer = object({ id: text, total: count }, ['id', 'total']);
    expect(compatibilityProblems(older, newer, 'FULL').map(({ path, rule }) => `${path}: ${rule}`)).toEqual([
      'note: required-field-removed',
      'total: required-field-added',
    ]);
  });

  describe('fields', () => {
    it('accepts an optional field added, in both directions', () => {
      expect(verdicts(object({ id: text }, ['id']), object({ id: text, note: text }, ['id']))).toEqual(fine);
    });

    it('refuses a new required field for a consumer reading old messages', () => {
      expect(verdicts(object({ id: text }, ['id']), object({ id: text, total: count }, ['id', 'total']))).toEqual({
        BACKWARD: ['total: required-field-added'],
        FORWARD: [],
      });
    });

    it('refuses making an optional field required for a consumer reading old messages', () => {
      expect(verdicts(object({ id: text, note: text }), object({ id: text, note: text }, ['note']))).toEqual({
        BACKWARD: ['note: required-field-added'],
        FORWARD: [],
      });
    });

    it('refuses removing a field that the older schema still required, for old consumers reading new messages', () => {
      expect(verdicts(object({ id: text, note: text }, ['id', 'note']), object({ id: text }, ['id']))).toEqual({
        BACKWARD: [],
        FORWARD: ['note: required-field-removed'],
      });
    });

    it('refuses making a required field optional, for old consumers reading new messages', () => {
      expect(verdicts(object({ note: text }, ['note']), object({ note: text }))).toEqual({
        BACKWARD: [],
        FORWARD: ['note: required-field-removed'],
      });
    });

    it('accepts removing a field once it was optional', () => {
      expect(verdicts(object({ id: text, note: text }, ['id']), object({ id: text }, ['id']))).toEqual(fine);
    });
  });

  describe('undeclared fields (additionalProperties)', () => {
    const closed = { additionalProperties: false };

    it('refuses a field added to an object whose older schema forbids undeclared fields, for old consumers', () => {
      expect(verdicts(object({ id: text }, [], closed), object({ id: text, note: text }, [], closed))).toEqual({
        BACKWARD: [],
        FORWARD: ['note: field-added-to-closed-object'],
      });
    });

    it('refuses a field removed from an object whose newer schema forbids undeclared fields, for new consumers', () => {
      expect(verdicts(object({ id: text, note: text }, [], closed), object({ id: text }, [], closed))).toEqual({
        BACKWARD: ['note: field-removed-from-closed-object'],
        FORWARD: [],
      });
    });

    it('refuses forbidding undeclared fields that were allowed, and allowing them where they were forbidden', () => {
      const open = object({ id: text }, [], { additionalProperties: true });
      const shut = object({ id: text }, [], closed);
      expect(verdicts(open, shut)).toEqual({ BACKWARD: ['(message): additional-properties-narrowed'], FORWARD: [] });
      expect(verdicts(shut, open)).toEqual({ BACKWARD: [], FORWARD: ['(message): additional-properties-widened'] });
    });

    it('judges a declared field against the additionalProperties schema that held it before', () => {
      const older = object({}, [], { additionalProperties: text });
      expect(verdicts(older, object({ note: text }, [], { additionalProperties: text }))).toEqual(fine);
      expect(verdicts(older, object({ note: count }, [], { additionalProperties: text }))).toEqual({
        BACKWARD: ['note: type-changed'],
        FORWARD: ['note: type-changed'],
      });
    });

    it('reads a missing additionalProperties as our classes behave: undeclared fields are never written, and dropped when read', () => {
      expect(verdicts(object({ id: text }), object({ id: text }, [], closed))).toEqual(fine);
      expect(verdicts(object({ id: text }, [], closed), object({ id: text }))).toEqual(fine);
    });
  });

  describe('types', () => {
    it('refuses number narrowed to integer for new consumers, and accepts integer widened to number for them', () => {
      expect(verdicts({ type: 'number' }, { type: 'integer' })).toEqual({
        BACKWARD: ['(message): type-narrowed'],
        FORWARD: [],
      });
      expect(verdicts({ type: 'integer' }, { type: 'number' })).toEqual({
        BACKWARD: [],
        FORWARD: ['(message): type-widened'],
      });
    });

    it('refuses a type added to or dropped from a union in the direction that meets it', () => {
      expect(verdicts({ type: 'string' }, { type: ['string', 'null'] })).toEqual({
        BACKWARD: [],
        FORWARD: ['(message): type-widened'],
      });
      expect(verdicts({ type: ['string', 'null'] }, { type: 'string' })).toEqual({
        BACKWARD: ['(message): type-narrowed'],
        FORWARD: [],
      });
    });

    it('refuses another type both ways, reported alone rather than with every constraint it drops', () => {
      const older: JsonSchema = { type: 'string', pattern: '^[a-z]+$', maxLength: 10 };
      expect(verdicts(older, { type: 'integer', minimum: 1 })).toEqual({
        BACKWARD: ['(message): type-changed'],
        FORWARD: ['(message): type-changed'],
      });
    });

    it('refuses a free string narrowed to an enum for new consumers', () => {
      expect(verdicts(text, { type: 'string', enum: ['A', 'B'] })).toEqual({
        BACKWARD: ['(message): type-narrowed'],
        FORWARD: [],
      });
      expect(verdicts({ type: 'string', enum: ['A', 'B'] }, text)).toEqual({
        BACKWARD: [],
        FORWARD: ['(message): type-widened'],
      });
    });
  });

  describe('enums', () => {
    const status = (values: string[]): JsonSchema => object({ status: { type: 'string', enum: values } });

    it('refuses an enum value removed for new consumers reading old messages that hold it', () => {
      expect(verdicts(status(['OPEN', 'CLOSED']), status(['OPEN']))).toEqual({
        BACKWARD: ['status: enum-value-removed'],
        FORWARD: [],
      });
    });

    it('refuses an enum value added for old consumers that do not know it', () => {
      expect(verdicts(status(['OPEN']), status(['OPEN', 'CLOSED']))).toEqual({
        BACKWARD: [],
        FORWARD: ['status: enum-value-added'],
      });
    });

    it('accepts the same values in another order', () => {
      expect(verdicts(status(['OPEN', 'CLOSED']), status(['CLOSED', 'OPEN']))).toEqual(fine);
    });
  });

  describe('constraints', () => {
    it.each([
      ['minimum', { type: 'integer', minimum: 0 }, { type: 'integer', minimum: 1 }],
      ['exclusiveMinimum', { type: 'number' }, { type: 'number', exclusiveMinimum: 0 }],
      ['maximum', { type: 'integer', maximum: 1000 }, { type: 'integer', maximum: 100 }],
      ['exclusiveMaximum', { type: 'number', exclusiveMaximum: 10 }, { type: 'number', exclusiveMaximum: 5 }],
      ['minLength', { type: 'string', minLength: 1 }, { type: 'string', minLength: 3 }],
      ['maxLength', { type: 'string' }, { type: 'string', maxLength: 64 }],
      ['minItems', { type: 'array', items: text }, { type: 'array', items: text, minItems: 1 }],
      ['maxItems', { type: 'array', items: text, maxItems: 10 }, { type: 'array', items: text, maxItems: 5 }],
      ['minProperties', { type: 'object' }, { type: 'object', minProperties: 1 }],
      ['maxProperties', { type: 'object', maxProperties: 9 }, { type: 'object', maxProperties: 3 }],
      ['pattern', text, { type: 'string', pattern: '^[A-Z]+$' }],
      ['format', text, { type: 'string', format: 'uuid' }],
      ['uniqueItems', { type: 'array', items: text }, { type: 'array', items: text, uniqueItems: true }],
    ])('refuses %s tightened for new consumers, and loosened for old ones', (_keyword, loose, tight) => {
      expect(verdicts(loose as JsonSchema, tight as JsonSchema)).toEqual({
        BACKWARD: ['(message): constraint-tightened'],
        FORWARD: [],
      });
      expect(verdicts(tight as JsonSchema, loose as JsonSchema)).toEqual({
        BACKWARD: [],
        FORWARD: ['(message): constraint-loosened'],
      });
    });

    it('refuses another pattern or format both ways, since neither is compared for inclusion', () => {
      expect(verdicts({ type: 'string', pattern: '^[A-Z]+$' }, { type: 'string', pattern: '^[A-Z0-9]+$' })).toEqual({
        BACKWARD: ['(message): pattern-changed'],
        FORWARD: ['(message): pattern-changed'],
      });
      expect(verdicts({ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' })).toEqual({
        BACKWARD: ['(message): format-changed'],
        FORWARD: ['(message): format-changed'],
      });
    });

    it('accepts an unchanged constraint and a changed description', () => {
      expect(
        verdicts({ type: 'integer', maximum: 5 }, { type: 'integer', maximum: 5, description: 'at most five' }),
      ).toEqual(fine);
    });
  });

  describe('nesting', () => {
    const order = (quantity: JsonSchema): JsonSchema => ({
      ...object({ payload: { $ref: '#/$defs/Order', not: { type: 'null' } } }, ['payload']),
      $defs: {
        Order: object({ items: { type: 'array', items: { $ref: '#/$defs/Line' } } }, ['items']),
        Line: object({ sku: text, quantity }, ['sku', 'quantity']),
      },
    });

    it('names a field inside $defs references and array items by its path', () => {
      expect(verdicts(order({ type: 'integer', maximum: 1000 }), order({ type: 'integer', maximum: 100 }))).toEqual({
        BACKWARD: ['payload.items[].quantity: constraint-tightened'],
        FORWARD: [],
      });
    });

    it('compares an inlined class with the reference it replaced', () => {
      const inlined = order(count);
      inlined.properties!.payload = { ...inlined.$defs!.Order, not: { type: 'null' } };
      expect(verdicts(order(count), inlined)).toEqual(fine);
    });

    it('ends on a recursive definition', () => {
      const tree = (leaf: JsonSchema): JsonSchema => ({
        $ref: '#/$defs/Node',
        $defs: { Node: object({ leaf, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) },
      });
      expect(verdicts(tree(text), tree(text))).toEqual(fine);
      expect(verdicts(tree(text), tree(count)).BACKWARD).toEqual(['leaf: type-changed']);
    });
  });

  describe('variants (oneOf, anyOf)', () => {
    const date: JsonSchema = { type: 'string', format: 'date' };
    const dateTime: JsonSchema = { type: 'string', format: 'date-time' };

    it('refuses a variant removed for new consumers, and a variant added for old ones', () => {
      expect(verdicts({ oneOf: [date, dateTime] }, { oneOf: [dateTime] })).toEqual({
        BACKWARD: ['(message): variant-removed'],
        FORWARD: [],
      });
      expect(verdicts({ oneOf: [dateTime] }, { oneOf: [date, dateTime] })).toEqual({
        BACKWARD: [],
        FORWARD: ['(message): variant-added'],
      });
    });

    it('matches variants in any order, and a plain schema against the variant that reads it', () => {
      expect(verdicts({ oneOf: [date, dateTime] }, { oneOf: [dateTime, date] })).toEqual(fine);
      expect(verdicts(dateTime, { oneOf: [date, dateTime] }).BACKWARD).toEqual([]);
    });
  });

  it('refuses a change to a keyword it does not judge, both ways, and ignores one left as it was', () => {
    expect(verdicts({ type: 'number', multipleOf: 5 }, { type: 'number', multipleOf: 10 })).toEqual({
      BACKWARD: ['(message): keyword-not-understood'],
      FORWARD: ['(message): keyword-not-understood'],
    });
    expect(verdicts({ type: 'number', multipleOf: 5 }, { type: 'number', multipleOf: 5 })).toEqual(fine);
  });

  it('describes a problem with its field, rule, values and what it breaks', () => {
    const [problem] = compatibilityProblems(object({ total: count }), object({ total: text }), 'FULL');
    expect(describeProblem(problem)).toBe('total: type-changed (integer → string), breaks BACKWARD and FORWARD');
  });
});

describe('the gate on real contracts', () => {
  it('finds every v1 snapshot compatible with itself', () => {
    const orderCreated = snapshot('order.created');
    expect(compatibilityProblems(orderCreated, structuredClone(orderCreated), 'FULL')).toEqual([]);
  });

  it('refuses order.created with customerId made an integer, naming the field and the rule', () => {
    const released = snapshot('order.created');
    const changed = structuredClone(released);
    (changed.$defs!.OrderCreated.properties!.customerId as JsonSchema) = { type: 'integer', minimum: 1 };
    expect(transitiveProblems(changed, new Map([[1, released]]), compatibilityModeOf('order.created'))).toEqual([
      'against v1: payload.customerId: type-changed (string → integer), breaks BACKWARD and FORWARD',
    ]);
  });

  it('refuses order.status-changed without the CANCELLING status, in both fields that hold it', () => {
    const released = snapshot('order.status-changed');
    const changed = structuredClone(released);
    for (const field of ['status', 'previousStatus']) {
      const schema = changed.$defs!.OrderStatusChanged.properties![field];
      schema.enum = schema.enum!.filter((status) => status !== 'CANCELLING');
    }
    expect(compatibilityProblems(released, changed, 'FULL')).toEqual([
      expect.objectContaining({ path: 'payload.status', rule: 'enum-value-removed', breaks: ['BACKWARD'] }),
      expect.objectContaining({ path: 'payload.previousStatus', rule: 'enum-value-removed', breaks: ['BACKWARD'] }),
    ]);
  });

  it('refuses an order.created line capped lower, for consumers reading orders already written', () => {
    const released = snapshot('order.created');
    const changed = structuredClone(released);
    changed.$defs!.OrderItem.properties!.quantity.maximum = 100;
    expect(compatibilityProblems(released, changed, 'FULL').map(describeProblem)).toEqual([
      'payload.items[].quantity: constraint-tightened (maximum 1000 → 100), breaks BACKWARD',
    ]);
  });

  it('lets a request lose a required field (BACKWARD), which an event may not (FULL)', () => {
    const request = snapshot('orders.create');
    const withoutCustomer = structuredClone(request);
    delete withoutCustomer.properties!.customerId;
    withoutCustomer.required = withoutCustomer.required!.filter((field) => field !== 'customerId');
    expect(compatibilityModeOf('orders.create')).toBe('BACKWARD');
    expect(compatibilityProblems(request, withoutCustomer, compatibilityModeOf('orders.create'))).toEqual([]);
    expect(compatibilityModeOf('order.created')).toBe('FULL');
    expect(compatibilityProblems(request, withoutCustomer, 'FULL').map(({ rule }) => rule)).toEqual([
      'required-field-removed',
    ]);
  });

  it('holds events, commands and stream results to FULL', () => {
    const topics = ['order.created', 'inventory.reserve', 'analytics.top-skus'] as const;
    expect(topics.map((topic) => compatibilityModeOf(topic))).toEqual(['FULL', 'FULL', 'FULL']);
  });
});

describe('lines of compatibility', () => {
  it('compares a version with every earlier one when none was breaking', () => {
    expect(earlierVersionsInLine('order.created', 4, {})).toEqual([1, 2, 3]);
    expect(earlierVersionsInLine('order.created', 1, {})).toEqual([]);
  });

  it('starts a new line at the latest breaking version', () => {
    const breaking = { 'order.created': [2, 4] };
    expect(earlierVersionsInLine('order.created', 3, breaking)).toEqual([2]);
    expect(earlierVersionsInLine('order.created', 4, breaking)).toEqual([]);
    expect(earlierVersionsInLine('order.created', 6, breaking)).toEqual([4, 5]);
  });

  it('checks the current schema transitively, naming the version it breaks with', () => {
    const v1 = object({ id: text, note: text }, ['id']);
    const v2 = object({ id: text }, ['id']);
    const v3 = object({ id: text, note: count }, ['id']);
    expect(transitiveProblems(v3, new Map([[2, v2]]), 'FULL')).toEqual([]);
    expect(
      transitiveProblems(
        v3,
        new Map([
          [1, v1],
          [2, v2],
        ]),
        'FULL',
      ),
    ).toEqual(['against v1: note: type-changed (string → integer), breaks BACKWARD and FORWARD']);
  });
});
