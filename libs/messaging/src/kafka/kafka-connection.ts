import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka, Message, Producer } from 'kafkajs';
import { idempotentProducerConfig, KAFKA_SETTINGS, kafkaClientConfig, KafkaSettings } from './kafka-settings';

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

  constructor(@Inject(KAFKA_SETTINGS) readonly settings: KafkaSettings) {
    this.kafka = new Kafka(kafkaClientConfig(settings, '-relay'));
  }

  admin(): Admin {
    return this.kafka.admin();
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    await this.withProducer((producer) => producer.send({ topic, messages, acks: -1 }));
  }

  async sendBatch(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    await this.withProducer((producer) => producer.sendBatch({ topicMessages, acks: -1 }));
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
      const producer = this.kafka.producer(idempotentProducerConfig);
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
