import * as contracts from '@orderflow/contracts';
import { MessageEnvelope, MessageTopic, messageClasses, Topics } from '@orderflow/contracts';
import { plainToInstance } from 'class-transformer';
import { IsEmail, IsInt, IsObject, Min, validate } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledValidationOf } from './compiled-validators';
import { InvalidMessageError } from './message-errors';
import { MESSAGE_VALIDATOR_OPTIONS, MessageValidationPipe } from './message-validation.pipe';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Class = new () => object;

const ORDER_ID = '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11';
const items = [{ sku: 'BOOK-1', quantity: 2 }];

/** The shared samples (libs/contracts/src/samples), and a message of every other topic made like them. */
const samples = Object.fromEntries(
  readdirSync(join(__dirname, '../../../contracts/src/samples'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(__dirname, '../../../contracts/src/samples', file), 'utf8')))
    .map((message: { type: string }) => [message.type, message as unknown as Json]),
) as Record<string, Json>;

const payloads: Record<MessageTopic, Json> = {
  [Topics.InventoryReserve]: { orderId: ORDER_ID, items },
  [Topics.InventoryRelease]: { orderId: ORDER_ID },
  [Topics.PaymentsCharge]: { orderId: ORDER_ID, customerId: 'alice', amountCents: 2800 },
  [Topics.PaymentsRefund]: { orderId: ORDER_ID, customerId: 'alice' },
  [Topics.OrderCreated]: { orderId: ORDER_ID, customerId: 'alice', items },
  [Topics.OrderStatusChanged]: {
    orderId: ORDER_ID,
    customerId: 'alice',
    status: 'CANCELLED',
    previousStatus: 'CANCELLING',
    reason: 'OUT_OF_STOCK',
  },
  [Topics.OrderConfirmed]: { orderId: ORDER_ID, customerId: 'alice', totalCents: 2800 },
  [Topics.OrderCancelled]: { orderId: ORDER_ID, customerId: 'alice', reason: 'PAYMENT_DECLINED', refundedCents: 0 },
  [Topics.StockReserved]: { orderId: ORDER_ID, items: [{ ...items[0], unitPriceCents: 1250 }], totalCents: 2500 },
  [Topics.StockRejected]: {
    orderId: ORDER_ID,
    reason: 'OUT_OF_STOCK',
    lines: [{ sku: 'BOOK-1', requestedQuantity: 2, availableQuantity: 1 }],
  },
  [Topics.StockReleased]: { orderId: ORDER_ID, restocked: true },
  [Topics.PaymentCharged]: { orderId: ORDER_ID, customerId: 'alice', amountCents: 2800 },
  [Topics.PaymentDeclined]: { orderId: ORDER_ID, customerId: 'alice', reason: 'INSUFFICIENT_FUNDS' },
  [Topics.PaymentRefunded]: { orderId: ORDER_ID, customerId: 'alice', amountCents: 0 },
  [Topics.ProductRegistered]: { sku: 'BOOK-1', name: 'A book', priceCents: 1250 },
};

function envelope(topic: string, payload: Json): Json {
  return {
    eventId: '6f1c1c59-2b8e-4a59-9d5e-0a4f4e1f0c01',
    type: topic,
    occurredAt: '2026-01-15T10:00:00.000Z',
    correlationId: 'req-7d1f',
    causationId: '6f1c1c59-2b8e-4a59-9d5e-0a4f4e1f0c0a',
    aggregateId: ORDER_ID,
    aggregateVersion: 1,
    schemaVersion: 1,
    payload,
  };
}

/** Like audit's `AnyEventMessage`: an envelope whose payload is any object, kept as it came. */
class AnyPayloadMessage extends MessageEnvelope<Record<string, unknown>> {
  @IsObject()
  override payload: Record<string, unknown>;
}

/** A decorator the compiled validator does not reproduce (declared with the contracts, before any compilation). */
class ContactRequest {
  @IsEmail()
  email: string;
}

/** `@Min()` outside `@IsInt()`: the derived schema says `number`, class-validator wants an integer. */
class CountRequest {
  @Min(1)
  @IsInt()
  count: number;
}

const window = { windowStart: '2026-01-15T10:00:00Z', windowEnd: '2026-01-15T10:01:00Z' };
const page = { limit: 20, cursor: 'abc' };

/** Every message contract a handler validates, with a valid value of it (optional fields present). */
const contractsUnderTest: [Class, Json][] = [
  ...(Object.entries(messageClasses) as [MessageTopic, Class][]).map(([topic, messageClass]): [Class, Json] => [
    messageClass,
    samples[topic] ?? envelope(topic, payloads[topic]),
  ]),
  [AnyPayloadMessage, envelope(Topics.OrderCreated, { orderId: ORDER_ID, anything: { nested: [1, 'two'] } })],
  [contracts.SkuWindowSales, { ...window, sku: 'BOOK-1', orders: 3, units: 5, revenueCents: 6250 }],
  [contracts.TopSkus, { ...window, skus: [{ sku: 'BOOK-1', units: 5 }] }],
  [contracts.CustomerTotals, { customerId: 'alice', orders: 2, spentCents: 5600, cancellations: 1, refundedCents: 0 }],
  [contracts.CancellationCount, { ...window, reason: 'OUT_OF_STOCK', count: 2 }],
  [contracts.CreateOrderRequest, { customerId: 'alice', items, idempotencyKey: 'key-1' }],
  [contracts.OrderIdRequest, { orderId: ORDER_ID }],
  [contracts.ListOrdersRequest, { ...page, customerId: 'alice', status: 'PAID' }],
  [contracts.CreateProductRequest, { sku: 'BOOK-1', name: 'A book', priceCents: 1250, stock: 10 }],
  [contracts.ProductSkuRequest, { sku: 'BOOK-1' }],
  [contracts.ListProductsRequest, page],
  [contracts.RestockProductRequest, { sku: 'BOOK-1', quantity: 5 }],
  [contracts.CreateCustomerRequest, { id: 'alice', name: 'Alice', openingBalanceCents: 10_000 }],
  [contracts.CustomerIdRequest, { customerId: 'alice' }],
  [
    contracts.ListAuditEventsRequest,
    { ...page, orderId: ORDER_ID, correlationId: 'req-1', type: 'order.created', from: '2026-01-15', to: '2026-01-16' },
  ],
  [contracts.OrderTimelineRequest, { orderId: ORDER_ID }],
  [contracts.ListNotificationsRequest, { ...page, customerId: 'alice' }],
  [
    contracts.SearchOrdersRequest,
    { ...page, q: 'book', status: 'PAID', customerId: 'alice', minTotal: 0, maxTotal: 9000, sort: 'newest' },
  ],
  [
    contracts.SkuSalesRequest,
    { window: '2026-01-15T10:00:00Z', since: '2026-01-15T09:00:00Z', limit: 10, sku: 'BOOK-1' },
  ],
  [contracts.TopSkusRequest, { window: '2026-01-15T10:00:00Z' }],
  [contracts.CancellationsRequest, { since: '2026-01-15T09:00:00Z', limit: 10, reason: 'OUT_OF_STOCK' }],
  [contracts.CustomerTotalsRequest, { customerId: 'alice' }],
  [CountRequest, { count: 2 }],
];

/** Values put in place of each field: every bound, type, format and enum the contracts use, and near misses. */
const replacements: Json[] = [
  null,
  true,
  0,
  1,
  -1,
  1.5,
  5,
  50,
  100,
  101,
  1000,
  1001,
  5000,
  5001,
  1e8 + 1,
  2 ** 53,
  '',
  'x',
  '1',
  '5',
  ' 5',
  'abc',
  'a b',
  'alice_1',
  '-alice',
  'BOOK-1',
  'book-1',
  '-BOOK',
  'BOOK-1\n',
  'A'.repeat(40),
  'A'.repeat(41),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(200),
  'x'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  `${'x'.repeat(127)}\uFE0F\uFE0F`,
  ORDER_ID.toUpperCase(),
  `urn:uuid:${ORDER_ID}`,
  '00000000-0000-0000-0000-000000000000',
  ORDER_ID.replaceAll('-', ''),
  '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e1',
  '2026-01-15',
  '2026-01-15T10:00:00Z',
  '2026-01-15T10:00:00',
  '2026-01-15T10:00Z',
  '2026-01-15 10:00:00Z',
  '2026-02-30T10:00:00Z',
  '2026-13-01',
  '2026-W03',
  '20260115',
  '2026-01-15T10:00:00+01:00',
  'not a date',
  // one member of each enum the contracts use, which the others' fields reject
  'PAID',
  'PAYMENT_DECLINED',
  'UNKNOWN_SKU',
  'INSUFFICIENT_FUNDS',
  'total-desc',
  'pending',
  {},
  { sku: 'BOOK-1' },
  [],
  ['x'],
];

interface Variant {
  label: string;
  value: Json;
  /** An array where the valid value has an object: class-validator's `@ValidateNested()` lets it through. */
  arrayForObject: boolean;
}

/** The valid value with one thing changed: each field replaced or removed, and an unknown field added. */
function variants(valid: Json): Variant[] {
  const found: Variant[] = [];
  const walk = (node: Json, path: (string | number)[]): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const replacement of [[], Array.from({ length: 51 }, () => node[0] ?? null), [node[0] ?? null, 'x']]) {
        found.push(at(valid, path, replacement, `${path.join('.')} = ${short(replacement)}`));
      }
      node.forEach((child, index) => walk(child, [...path, index]));
      return;
    }
    found.push(at(valid, path, { ...node, unknownField: 'x' }, `${path.join('.') || 'value'} + unknownField`));
    for (const [key, child] of Object.entries(node)) {
      const childPath = [...path, key];
      found.push(at(valid, childPath, undefined, `${childPath.join('.')} removed`));
      for (const replacement of replacements) {
        found.push(at(valid, childPath, replacement, `${childPath.join('.')} = ${short(replacement)}`));
      }
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        found.push(at(valid, childPath, [child], `${childPath.join('.')} = [itself]`));
      }
      walk(child, childPath);
    }
  };
  walk(valid, []);
  return found;
}

function at(valid: Json, path: (string | number)[], replacement: Json | undefined, label: string): Variant {
  const value = structuredClone(valid);
  let parent = value as Record<string | number, Json>;
  path.slice(0, -1).forEach((key) => (parent = parent[key] as Record<string | number, Json>));
  const key = path[path.length - 1];
  const before = key === undefined ? value : parent[key];
  if (key === undefined) return { label, value: replacement as Json, arrayForObject: false };
  if (replacement === undefined) delete parent[key];
  else parent[key] = replacement;
  const wasObject = before !== null && typeof before === 'object' && !Array.isArray(before);
  return { label, value, arrayForObject: wasObject && Array.isArray(replacement) };
}

function short(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 24 ? `${text.slice(0, 21)}...` : text;
}

async function classValidatorVerdict(messageClass: Class, value: Json): Promise<{ valid: boolean; instance: object }> {
  const instance = plainToInstance(messageClass, structuredClone(value)) as object;
  return { valid: (await validate(instance, MESSAGE_VALIDATOR_OPTIONS)).length === 0, instance };
}

function compiledVerdict(messageClass: Class, value: Json): { valid: boolean; instance: object } {
  const validation = compiledValidationOf(messageClass);
  if (!('validate' in validation)) throw new Error(`${messageClass.name} falls back: ${validation.fallback}`);
  const instance = plainToInstance(messageClass, structuredClone(value)) as object;
  return { valid: validation.validate(instance), instance };
}

describe('the compiled validator of a contract', () => {
  it.each(contractsUnderTest.map(([messageClass, valid]) => [messageClass.name, messageClass, valid] as const))(
    '%s: accepts and rejects what class-validator does, and strips the same fields',
    async (_name, messageClass, valid) => {
      expect(await classValidatorVerdict(messageClass, valid)).toMatchObject({ valid: true });
      const disagreements: string[] = [];
      let rejected = 0;
      for (const variant of variants(valid)) {
        const expected = await classValidatorVerdict(messageClass, variant.value);
        const actual = compiledVerdict(messageClass, variant.value);
        if (!actual.valid) rejected += 1;
        if (variant.arrayForObject && !actual.valid) continue; // see the test below
        if (actual.valid !== expected.valid) {
          disagreements.push(`${variant.label}: class-validator ${expected.valid}, compiled ${actual.valid}`);
        } else if (actual.valid && JSON.stringify(actual.instance) !== JSON.stringify(expected.instance)) {
          disagreements.push(`${variant.label}: kept ${JSON.stringify(actual.instance)}`);
        }
      }
      expect(disagreements).toEqual([]);
      expect(rejected).toBeGreaterThan(0);
    },
    30_000,
  );

  it('rejects an array where the contract has one object, which class-validator validates item by item', async () => {
    const valid = samples[Topics.OrderCreated] as Record<string, Json>;
    const arrayPayload = { ...valid, payload: [valid.payload] };
    expect(await classValidatorVerdict(contracts.OrderCreatedMessage, arrayPayload)).toMatchObject({ valid: true });
    expect(compiledVerdict(contracts.OrderCreatedMessage, arrayPayload)).toMatchObject({ valid: false });
  });

  it('keeps a class with a decorator it does not reproduce on class-validator, and says why', async () => {
    expect(compiledValidationOf(ContactRequest)).toEqual({ fallback: expect.stringContaining('ContactRequest.email') });
    const pipe = new MessageValidationPipe();
    const asPayload = { type: 'body', metatype: ContactRequest } as const;
    await expect(pipe.transform({ email: 'a@example.com', extra: 1 }, asPayload)).resolves.toEqual({
      email: 'a@example.com',
    });
    await expect(pipe.transform({ email: 'nope' }, asPayload)).rejects.toThrow(InvalidMessageError);
  });
});

describe('MessageValidationPipe with a compiled validator', () => {
  const pipe = new MessageValidationPipe();
  const asPayload = { type: 'body', metatype: contracts.OrderCreatedMessage } as const;

  it("names the problems as class-validator does (the dead letter's reason)", async () => {
    const valid = samples[Topics.OrderCreated] as Record<string, Record<string, Json>>;
    const invalid = { ...valid, occurredAt: 'yesterday', payload: { ...valid.payload, customerId: 'a b' } };
    await expect(pipe.transform(invalid, asPayload)).rejects.toMatchObject({
      problems: [
        'occurredAt: occurredAt must be a valid ISO 8601 date string',
        'payload.customerId: customerId must match /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/ regular expression',
      ],
    });
  });

  it('names what only the compiled validator rejects with its path', async () => {
    const valid = samples[Topics.OrderCreated] as Record<string, Json>;
    await expect(pipe.transform({ ...valid, payload: [] }, asPayload)).rejects.toMatchObject({
      problems: ['payload: must be object'],
    });
  });

  it('leaves the decoded value as it came, and hands over an instance without the unknown fields', async () => {
    const value = { ...(samples[Topics.OrderCreated] as Record<string, Json>), injected: true };
    const message = await pipe.transform(value, asPayload);
    expect(message).toBeInstanceOf(contracts.OrderCreatedMessage);
    expect(message).not.toHaveProperty('injected');
    expect(value.injected).toBe(true);
  });
});
