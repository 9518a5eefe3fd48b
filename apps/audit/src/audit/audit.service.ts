import { Injectable } from '@nestjs/common';
import { AuditEventView, ListAuditEventsRequest, OrderTimeline, Page } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { toAuditEventView } from './audit-event-view';
import { AuditEventsRepository } from './audit-events.repository';
import { causalOrder } from './causal-order';
import { AnyEventMessage, checkContract, EventPosition, toRecordedEvent } from './recorded-event';

@Injectable()
export class AuditService {
  constructor(private readonly events: AuditEventsRepository) {}

  /** Every event checked against its topic's contract first: one that fails records none of them. */
  async record(events: { message: AnyEventMessage; position: EventPosition }[]): Promise<void> {
    for (const { message, position } of events) checkContract(message, position.topic);
    // Recorded once per event id: a redelivered event inserts nothing. Submitted in order, so the
    // batches of partitions handled at the same time share one group commit.
    await Promise.all(events.map(({ message, position }) => this.events.record(toRecordedEvent(message, position))));
  }

  async list(request: ListAuditEventsRequest): Promise<Page<AuditEventView>> {
    const page = await this.events.page(request);
    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor };
  }

  async timeline(orderId: string): Promise<OrderTimeline> {
    const events = (await this.events.forOrder(orderId.toLowerCase())).map(toAuditEventView);
    if (events.length === 0) throw RequestRejectedError.notFound(`no event of order ${orderId} has been recorded`);
    return { orderId, events: causalOrder(events) };
  }
}
