import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka, Message, Producer } from 'kafkajs';
import {
  idempotentProducerConfig,
  KAFKA_SETTINGS,
  kafkaClientConfig,
  KafkaSettings,
  producerPartitioner,
} from './kafka-settings';
import { SendCoverage } from './send-coverage';

/**
 * The app's own kafkajs client beside Nest's transport: the idempotent producer that the outbox
 * relay and the dead-letter publisher share, and the admin client for topic provisioning.
 */
@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaConnection.name);
  private readonly kafka: Kafka;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly coverage = new SendCoverage();

  constructor(@Inject(KAFKA_SETTINGS) readonly settings: KafkaSettings) {
    this.kafka = new Kafka(kafkaClientConfig(settings, '-relay'));
  }

  admin(): Admin {
    return this.kafka.admin();
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    await this.sendBatch([{ topic, messages }]);
  }

  /**
   * Resolves only once every message is written (acks=all): a send that kafkajs resolved without
   * writing some partition (send-coverage.ts) fails here, and is handled as any failed send.
   */
  async sendBatch(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    await this.withProducer(async (producer) => {
      const written = await producer.sendBatch({ topicMessages, acks: -1 });
      this.coverage.assertWritten(topicMessages, written);
    });
  }

  /**
   * A failed send leaves kafkajs's idempotent producer with sequence numbers the broker may no longer
   * accept (seen after a broker restart: OUT_OF_ORDER_SEQUENCE_NUMBER on every later send, the relay
   * stuck for good). The next send therefore gets a fresh producer, with a new producer id. What the
   * failed send may have written is sent again by its caller; consumers' inboxes absorb duplicates.
   */
  private async withProducer(send: (producer: Producer) => Promise<unknown>): Promise<void> {
    const producer = await this.connectedProducer();
    try {
      await send(producer);
    } catch (error) {
      this.discard(producer);
      throw error;
    }
  }

  private discard(producer: Producer): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.connecting = undefined;
    producer.disconnect().catch((error: unknown) => this.logger.warn(`producer disconnect: ${String(error)}`));
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.connecting) {
      const producer = this.kafka.producer({
        ...idempotentProducerConfig,
        createPartitioner: this.coverage.recording(producerPartitioner),
      });
      this.connecting = producer.connect().then(
        () => (this.producer = producer),
        (error: unknown) => {
          this.connecting = undefined;
          throw error;
        },
      );
    }
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer
      ?.disconnect()
      .catch((error: unknown) => this.logger.warn(`producer disconnect: ${String(error)}`));
  }
}
