import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, MessagePattern } from '@nestjs/microservices';
import {
  AuditEventView,
  eventTopics,
  ListAuditEventsRequest,
  OrderTimeline,
  OrderTimelineRequest,
  Page,
  Topics,
} from '@orderflow/contracts';
import { InAnyOrder, ValidPayload } from '@orderflow/messaging';
import { AuditService } from './audit.service';
import { AnyEventMessage } from './recorded-event';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Every domain-event topic of the registry: Nest registers the handler once per topic in the array
   * and ServerKafka subscribes to each, so a topic added to the registry is audited without a change here.
   * Recording is idempotent (event id) and lists by occurredAt, not by arrival: a fetched batch is
   * recorded at once, in one group commit.
   */
  @EventPattern([...eventTopics], InAnyOrder)
  record(@ValidPayload() message: AnyEventMessage, @Ctx() context: KafkaContext): Promise<void> {
    const kafkaMessage = context.getMessage();
    return this.audit.record(message, {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: kafkaMessage.offset,
      key: kafkaMessage.key === null || kafkaMessage.key === undefined ? null : String(kafkaMessage.key),
    });
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
