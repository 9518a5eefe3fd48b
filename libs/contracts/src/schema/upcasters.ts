import { StockRejectionReason } from '../inventory.messages';
import { PayloadOf } from '../messages';
import { MessageTopic, Topics } from '../topics';
import { schemaVersions, VersionedTopic } from './schema-versions';

/**
 * A payload as it arrived: JSON that no class has validated yet, so any field may be missing or of
 * another type. An upcaster passes what it cannot map on unchanged, and class validation, which runs
 * on its result, refuses it with a clear error.
 */
export type Unvalidated<T> = { [Field in keyof T]?: unknown };

type CurrentPayload<T extends VersionedTopic> = T extends MessageTopic ? PayloadOf<T> : Record<string, unknown>;

/** Maps the plain JSON payload of the version before `version` onto `version`. */
export type Upcaster<T extends VersionedTopic> = (previous: Record<string, unknown>) => Unvalidated<CurrentPayload<T>>;

/** Per topic, the upcaster into its current version, keyed by that version. */
export type UpcasterRegistry = { readonly [T in VersionedTopic]?: Readonly<Record<number, Upcaster<T>>> };

/** inventory.rejected version 1, kept for its upcaster: the skus at fault, without quantities. */
export interface StockRejectedVersion1 {
  orderId: string;
  reason: StockRejectionReason;
  skus: string[];
}

/** Each sku becomes a line; what was asked and what was there version 1 did not say, so those stay absent. */
export function stockRejectedFromVersion1(
  previous: Unvalidated<StockRejectedVersion1>,
): Unvalidated<PayloadOf<typeof Topics.StockRejected>> {
  const { skus, ...rest } = previous;
  return { ...rest, lines: Array.isArray(skus) ? skus.map((sku: unknown) => ({ sku })) : skus };
}

/**
 * Consumers read the current version of each type and the one before it: a message of the previous
 * version goes through the upcaster into the current one (when that version is a breaking one,
 * `breakingVersions`), once, before class validation. Only the upcaster into the current version is
 * kept: a message two versions old is refused (UNSUPPORTED_VERSION), never upcast twice.
 */
export const upcasters = {
  [Topics.StockRejected]: { 2: stockRejectedFromVersion1 },
} as const satisfies UpcasterRegistry;

/** The upcaster that reads `version - 1` of `topic` as `version`, if that step needs one. */
export function upcasterInto(topic: VersionedTopic, version: number): Upcaster<VersionedTopic> | undefined {
  const registry: UpcasterRegistry = upcasters;
  return registry[topic]?.[version] as Upcaster<VersionedTopic> | undefined;
}

/** The payload of a message of `version` as the current version of `topic` reads it. */
export function upcastPayload(topic: VersionedTopic, version: number, payload: unknown): unknown {
  const current = schemaVersions[topic];
  const upcaster = version === current - 1 ? upcasterInto(topic, current) : undefined;
  if (!upcaster || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  return upcaster(payload as Record<string, unknown>);
}
