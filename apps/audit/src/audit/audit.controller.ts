import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  AuditEventView,
  eventTopics,
  ListAuditEventsRequest,
  OrderTimeline,
  OrderTimelineRequest,
  Page,
  Topics,
} from '@orderflow/contracts';
import { InBatches, KafkaBatchContext, principalOf, ValidPayload, ValidPayloads } from '@orderflow/messaging';
import { AuditService } from './audit.service';
import { AnyEventMessage } from './recorded-event';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Every domain-event topic of the registry: Nest registers the handler once per topic in the array
   * and ServerKafka subscribes to each, so a topic added to the registry is audited without a change here.
   * Recording is idempotent (event id) and lists by occurredAt, not by arrival: a fetched batch is
   * recorded in one call (`InBatches`) and one group commit; one bad event sends the batch through
   * again one event per call, and that one to `<topic>.dlq`.
   */
  @EventPattern([...eventTopics], InBatches)
  record(
    @ValidPayloads(AnyEventMessage) messages: AnyEventMessage[],
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    const kafkaMessages = context.getMessages();
    return this.audit.record(
      messages.map((message, index) => ({
        message,
        position: {
          topic: context.getTopic(),
          partition: context.getPartition(),
          offset: kafkaMessages[index].offset,
          key: keyOf(kafkaMessages[index].key),
          principal: principalOf(kafkaMessages[index].headers) ?? null,
        },
      })),
    );
  }

  @MessagePattern(Topics.AuditList)
  list(@ValidPayload() request: ListAuditEventsRequest): Promise<Page<AuditEventView>> {
    return this.audit.list(request);
  }

  @MessagePattern(Topics.AuditTimeline)
  timeline(@ValidPayload() request: OrderTimelineRequest): Promise<OrderTimeline> {
    return this.audit.timeline(request.orderId);
  }
}

function keyOf(key: unknown): string | null {
  return key === null || key === undefined ? null : String(key);
}
