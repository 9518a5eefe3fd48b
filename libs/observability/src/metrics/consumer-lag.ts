import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  awaitShutdownStep,
  KAFKA_SETTINGS,
  KafkaConnection,
  KafkaConsumerState,
  KafkaSettings,
} from '@orderflow/messaging';
import { Admin, AssignerProtocol } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface DeadLetterDepth {
  /** The original topic; its dead letters are in `<topic>.dlq`. */
  topic: string;
  messages: number;
}

export interface ConsumerLagReading {
  group: string;
  partitions: PartitionLag[];
  deadLetters: DeadLetterDepth[];
}

const CACHE_MS = 5_000;

/** Nest's ServerKafka appends this to the configured group id. */
const SERVER_GROUP_SUFFIX = '-server';

/**
 * Lag of this service's consumer group per partition: the topic's end offset minus the group's
 * committed offset, read from the broker when Prometheus scrapes (cached a few seconds, so
 * several scrapers cost one round of admin calls). Every instance of a service reports the same
 * group-wide numbers: aggregate with max(), not sum().
 */
@Injectable()
export class ConsumerLag implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerLag.name);
  private admin?: Promise<Admin>;
  private cached?: { at: number; reading: Promise<ConsumerLagReading> };

  constructor(
    private readonly kafka: KafkaConnection,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly consumer: KafkaConsumerState,
  ) {}

  /** The group the app's consumer really joined: audit's AUDIT_GROUP_ID, a gateway instance's own group. */
  get group(): string {
    return `${this.consumer.groupId ?? this.settings.groupId}${SERVER_GROUP_SUFFIX}`;
  }

  read(): Promise<ConsumerLagReading> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const reading = this.query();
      this.cached = { at: now, reading };
      reading.catch(() => (this.cached = undefined));
    }
    return this.cached.reading;
  }

  private async query(): Promise<ConsumerLagReading> {
    const admin = await this.connectedAdmin();
    // Topics with committed offsets, plus those assigned to live members that have none yet.
    const topics = new Set((await admin.fetchOffsets({ groupId: this.group })).map(({ topic }) => topic));
    for (const topic of await this.assignedTopics(admin)) topics.add(topic);
    const committed = topics.size > 0 ? await admin.fetchOffsets({ groupId: this.group, topics: [...topics] }) : [];
    const partitions: PartitionLag[] = [];
    const deadLetters: DeadLetterDepth[] = [];
    const existing = new Set(await admin.listTopics());
    for (const { topic, partitions: groupPartitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const commit = groupPartitions.find((candidate) => candidate.partition === end.partition);
        const from = commit && Number(commit.offset) >= 0 ? Number(commit.offset) : Number(end.low);
        partitions.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
      }
      const deadLetterTopic = `${topic}.dlq`;
      if (existing.has(deadLetterTopic)) {
        const offsets = await admin.fetchTopicOffsets(deadLetterTopic);
        const messages = offsets.reduce((sum, offset) => sum + Number(offset.high) - Number(offset.low), 0);
        deadLetters.push({ topic, messages });
      }
    }
    return { group: this.group, partitions, deadLetters };
  }

  private async assignedTopics(admin: Admin): Promise<string[]> {
    const { groups } = await admin.describeGroups([this.group]);
    const topics = new Set<string>();
    for (const member of groups[0]?.members ?? []) {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const topic of Object.keys(decoded?.assignment ?? {})) topics.add(topic);
    }
    return [...topics];
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.admin = undefined;
          throw error;
        },
      );
    }
    return this.admin;
  }

  async onApplicationShutdown(): Promise<void> {
    const disconnected = (async () => {
      const admin = await this.admin?.catch(() => undefined);
      await admin?.disconnect().catch((error: unknown) => this.logger.warn(`admin disconnect: ${String(error)}`));
    })();
    // Bounded: a scrape while the broker is unreachable leaves a connect retrying for longer than a stop may take.
    await awaitShutdownStep(disconnected, {
      settings: this.settings,
      share: 'later-step',
      logger: this.logger,
      overrun: 'the lag admin client did not disconnect',
      then: 'going on',
    });
  }
}
