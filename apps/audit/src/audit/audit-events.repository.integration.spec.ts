import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { DataSource } from 'typeorm';
import { AuditEventTable1764100000500 } from '../migrations/1764100000500-audit-event-table';
import { AuditEventPrincipal1764100000510 } from '../migrations/1764100000510-audit-event-principal';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventsRepository } from './audit-events.repository';
import { RecordedEvent } from './recorded-event';

jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

function recorded(orderId: string, offset: number): RecordedEvent {
  return {
    eventId: randomUUID(),
    type: 'order.status-changed',
    topic: 'order.status-changed',
    partition: 2,
    kafkaOffset: String(offset),
    messageKey: orderId,
    occurredAt: new Date(Date.UTC(2026, 0, 15, 10, 0, offset)),
    correlationId: 'c-1',
    causationId: null,
    principal: offset === 1 ? null : 'customer:alice',
    aggregateId: orderId,
    aggregateVersion: offset,
    orderId,
    payload: { orderId, status: 'PAID', note: 'it\'s "quoted"' },
  };
}

/** The audit log's batched inserts against a real PostgreSQL. */
describe('AuditEventsRepository on PostgreSQL', () => {
  const database = useTestDatabase(
    'audit',
    [AuditEventEntity],
    [AuditEventTable1764100000500, AuditEventPrincipal1764100000510],
  );
  let dataSource: DataSource;
  let events: AuditEventsRepository;

  beforeAll(() => {
    dataSource = database();
    events = new AuditEventsRepository(dataSource.getRepository(AuditEventEntity));
  });

  it('records each event once, however often it comes, in one batch or in several, in batch order', async () => {
    const orderId = randomUUID();
    const [first, second, third] = [1, 2, 3].map((offset) => recorded(orderId, offset));
    await events.recordAll([first, second, first, third]);
    await Promise.all([events.record(second), events.record(third), events.record(first)]);

    const rows: { event_id: string; kafka_offset: string; payload: object; occurred_at: Date; principal: string }[] =
      await dataSource.query(
        `SELECT event_id, kafka_offset, payload, occurred_at, principal FROM audit_event WHERE order_id = $1 ORDER BY sequence`,
        [orderId],
      );
    expect(rows.map((row) => row.event_id)).toEqual([first.eventId, second.eventId, third.eventId]);
    expect(rows[0]).toMatchObject({ kafka_offset: '1', payload: first.payload, occurred_at: first.occurredAt });
    expect(rows.map((row) => row.principal)).toEqual([null, 'customer:alice', 'customer:alice']);
  });
});
