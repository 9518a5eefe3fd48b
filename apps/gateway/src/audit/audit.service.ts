import { Injectable } from '@nestjs/common';
import { AuditEventView, ListAuditEventsRequest, OrderTimeline, Page, Topics } from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';

/** The audit log's read API: each use case is one request to the audit service. */
@Injectable()
export class AuditService {
  constructor(private readonly requests: RequestClient) {}

  list(request: ListAuditEventsRequest, correlationId: string): Promise<Page<AuditEventView>> {
    return this.requests.request<Page<AuditEventView>>(Topics.AuditList, request, { correlationId });
  }

  timeline(orderId: string, correlationId: string): Promise<OrderTimeline> {
    return this.requests.request<OrderTimeline>(Topics.AuditTimeline, { orderId }, { correlationId, key: orderId });
  }
}
