import { DynamicModule, Inject, Injectable, Module, OnModuleInit, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RequestClient } from './client/request-client';
import { DeadLetterPublisher } from './handling/dead-letter-publisher';
import { KafkaConnection } from './kafka/kafka-connection';
import { KafkaConsumerState } from './kafka/consumer-state';
import { KAFKA_SETTINGS, KafkaEnv, KafkaSettings, kafkaSettings } from './kafka/kafka-settings';
import { TopicProvisioner } from './kafka/topic-provisioner';
import { MessageTransactions } from './message-transactions';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { OutboxRelay } from './outbox/outbox-relay';
import { InboxRetentionCheck } from './retention/inbox-retention-check';
import { MessagePruner } from './retention/message-pruner';
import { RETENTION_SETTINGS, RetentionEnv, retentionSettings } from './retention/retention-settings';

/** The outbox and inbox stay bounded: checked against the topics' retention at start, pruned after. */
const retentionProviders: Provider[] = [
  {
    provide: RETENTION_SETTINGS,
    useFactory: (config: ConfigService<RetentionEnv, true>) => retentionSettings(config),
    inject: [ConfigService],
  },
  InboxRetentionCheck,
  MessagePruner,
];

/** Topics exist before any consumer of this app subscribes (app.init() runs before the transport starts). */
@Injectable()
class TopicsAtStartup implements OnModuleInit {
  constructor(
    private readonly provisioner: TopicProvisioner,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.provisioner.ensureTopics();
    // Nest's server group is `<groupId>-server`: its coordinator answering proves the offsets topic is loaded.
    await this.provisioner.awaitGroupCoordinator(`${this.settings.groupId}-server`);
  }
}

export interface MessagingModuleOptions extends MessagingOptions {
  /** Provide the request-reply client (callers such as the gateway). */
  requests?: boolean;
  /** Provide the outbox and inbox (services that own data). Needs the app's TypeORM data source. */
  transactions?: boolean;
}

@Module({})
export class MessagingModule {
  static forService(options: MessagingModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: MESSAGING_OPTIONS, useValue: { service: options.service } },
      {
        provide: KAFKA_SETTINGS,
        useFactory: (config: ConfigService<KafkaEnv, true>) => kafkaSettings(config, options.service),
        inject: [ConfigService],
      },
      KafkaConnection,
      KafkaConsumerState,
      TopicProvisioner,
      TopicsAtStartup,
      DeadLetterPublisher,
      ...(options.transactions ? [OutboxRelay, MessageTransactions, ...retentionProviders] : []),
      ...(options.requests ? [RequestClient] : []),
    ];
    return {
      module: MessagingModule,
      global: true,
      providers,
      exports: [
        MESSAGING_OPTIONS,
        KAFKA_SETTINGS,
        KafkaConnection,
        KafkaConsumerState,
        TopicProvisioner,
        DeadLetterPublisher,
        ...(options.transactions ? [OutboxRelay, MessageTransactions, MessagePruner] : []),
        ...(options.requests ? [RequestClient] : []),
      ],
    };
  }
}
