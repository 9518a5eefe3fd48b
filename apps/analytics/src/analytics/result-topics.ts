import { Injectable, OnModuleInit } from '@nestjs/common';
import { KafkaConnection, resultTopicPlan, TopicProvisioner } from '@orderflow/messaging';

/**
 * The stream processor's result topics exist, with leaders, before this app subscribes, whichever
 * starts first (the processor creates them too): compacted, since each key's latest value is the
 * result. Their dead-letter topics are created beside them, for results that fail validation.
 */
@Injectable()
export class ResultTopics implements OnModuleInit {
  constructor(
    private readonly provisioner: TopicProvisioner,
    private readonly kafka: KafkaConnection,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.provisioner.ensureTopics(resultTopicPlan(this.kafka.settings.topicPartitions));
  }
}
