import { Injectable } from '@nestjs/common';
import { Consumer } from 'kafkajs';

/**
 * Whether this app's Nest consumer is a live member of its group. kafkajs resolves `run()` after
 * the first join; later the events keep this true to what the consumer is doing.
 */
@Injectable()
export class KafkaConsumerState {
  private problem: string | null = 'the consumer has not joined its group yet';
  private consumes = false;
  private group?: string;

  /** Apps without Kafka handlers have no consumer to wait for. */
  get hasConsumer(): boolean {
    return this.consumes;
  }

  get notReadyReason(): string | null {
    return this.consumes ? this.problem : null;
  }

  /** The group this app's consumer joined, as configured (Nest appends `-server`); unset before `watch`. */
  get groupId(): string | undefined {
    return this.group;
  }

  /**
   * For an app that will consume but listens (answers its probes) before its consumer starts: not
   * ready until `watch`, instead of ready for want of a consumer.
   */
  expectConsumer(): void {
    this.consumes = true;
  }

  watch(consumer: Consumer, groupId: string): void {
    this.consumes = true;
    this.group = groupId;
    this.problem = null;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.problem = null));
    consumer.on(
      consumer.events.CRASH,
      (event) => (this.problem = `the consumer crashed: ${String(event.payload.error)}`),
    );
    consumer.on(consumer.events.STOP, () => (this.problem = 'the consumer stopped'));
    consumer.on(consumer.events.DISCONNECT, () => (this.problem = 'the consumer is disconnected'));
  }
}
