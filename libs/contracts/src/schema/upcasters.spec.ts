import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { StockRejectedMessage } from '../messages';
import { Topics } from '../topics';
import { breakingVersions } from './breaking-changes';
import { schemaVersions, VersionedTopic } from './schema-versions';
import { upcastPayload, upcasterInto, upcasters } from './upcasters';

/** inventory.rejected as the release before published it (version 1: no schemaVersion, the skus alone). */
const version1 = {
  eventId: '3f1c1c59-2b8e-4a59-9d5e-0a4f4e1f0c07',
  type: 'inventory.rejected',
  occurredAt: '2026-01-15T10:00:00.120Z',
  correlationId: 'req-7d1f',
  causationId: '6f1c1c59-2b8e-4a59-9d5e-0a4f4e1f0c0a',
  aggregateId: '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11',
  aggregateVersion: 1,
  payload: { orderId: '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11', reason: 'OUT_OF_STOCK', skus: ['BOOK-1', 'PEN-7'] },
};

/** What the consumer's validation makes of an upcast version-1 message: the problems, none when it reads. */
function problemsOfUpcast(payload: unknown): string[] {
  const upcast = { ...version1, payload: upcastPayload(Topics.StockRejected, 1, payload) };
  const errors = validateSync(plainToInstance(StockRejectedMessage, upcast), { whitelist: true });
  return errors.map((error) => error.toString());
}

describe('upcasters', () => {
  describe('inventory.rejected 1 → 2', () => {
    it('turns each sku at fault into a line, which the version 2 class accepts', () => {
      expect(upcastPayload(Topics.StockRejected, 1, version1.payload)).toEqual({
        orderId: version1.payload.orderId,
        reason: 'OUT_OF_STOCK',
        lines: [{ sku: 'BOOK-1' }, { sku: 'PEN-7' }],
      });
      expect(problemsOfUpcast(version1.payload)).toEqual([]);
    });

    it('is what makes a version 1 message readable: without it, version 2 refuses it', () => {
      const errors = validateSync(plainToInstance(StockRejectedMessage, version1), { whitelist: true });
      expect(errors.map((error) => error.property)).toEqual(['payload']);
    });

    it('passes a malformed version 1 payload on, for validation to refuse, instead of throwing', () => {
      expect(problemsOfUpcast({ ...version1.payload, skus: 'BOOK-1' })).not.toEqual([]);
      expect(problemsOfUpcast({ ...version1.payload, skus: ['not a sku'] })).not.toEqual([]);
      expect(problemsOfUpcast({ orderId: version1.payload.orderId })).not.toEqual([]);
    });

    it('leaves a payload of the current version alone', () => {
      const current = { orderId: version1.payload.orderId, reason: 'UNKNOWN_SKU', lines: [{ sku: 'NOPE' }] };
      expect(upcastPayload(Topics.StockRejected, 2, current)).toBe(current);
    });
  });

  it('has an upcaster into the current version of every type whose current version is breaking', () => {
    const topics = Object.keys(schemaVersions) as VersionedTopic[];
    const missing = topics.filter(
      (topic) =>
        breakingVersions[topic]?.includes(schemaVersions[topic]) && !upcasterInto(topic, schemaVersions[topic]),
    );
    expect(missing).toEqual([]);
  });

  it('keeps only upcasters into a current version that is declared breaking', () => {
    const registered = Object.entries(upcasters).flatMap(([topic, byVersion]) =>
      Object.keys(byVersion).map((version) => ({ topic: topic as VersionedTopic, version: Number(version) })),
    );
    expect(registered.length).toBeGreaterThan(0);
    for (const { topic, version } of registered) {
      expect({ topic, version, isCurrent: version === schemaVersions[topic] }).toEqual({
        topic,
        version,
        isCurrent: true,
      });
      expect({ topic, version, isBreaking: breakingVersions[topic]?.includes(version) }).toEqual({
        topic,
        version,
        isBreaking: true,
      });
    }
  });
});
