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

  async record(message: AnyEventMessage, position: EventPosition): Promise<void> {
    checkContract(message, position.topic);
    // Recorded once per event id: a redelivered event inserts nothing.
    await this.events.record(toRecordedEvent(message, position));
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
