import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigValidationError } from '@orderflow/config';
import { consumedBy, Participant } from '@orderflow/contracts';
import { ConfigResourceTypes } from 'kafkajs';
import { KafkaConnection } from '../kafka/kafka-connection';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { inboxRetentionProblem, TopicRetention } from './inbox-retention';
import { RETENTION_SETTINGS, RetentionSettings } from './retention-settings';

/**
 * At start-up, before anything is consumed: the inbox's retention against the `retention.ms` the
 * broker really has for each topic this service consumes. Too short a retention is a bad
 * configuration (a ConfigValidationError: the app is not retried, it reports the variable).
 */
@Injectable()
export class InboxRetentionCheck implements OnModuleInit {
  constructor(
    private readonly kafka: KafkaConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.settings.inboxRetentionMs === 0) return;
    const problem = inboxRetentionProblem(this.settings, await this.consumedTopicRetentions());
    if (problem) throw new ConfigValidationError([problem]);
  }

  private async consumedTopicRetentions(): Promise<TopicRetention[]> {
    const topics = consumedBy(this.options.service as Participant).map((declaration) => declaration.topic);
    if (topics.length === 0) return [];
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })),
      });
      return resources.map((resource) => ({
        topic: resource.resourceName,
        retentionMs: Number(resource.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue),
      }));
    } finally {
      await admin.disconnect();
    }
  }
}
