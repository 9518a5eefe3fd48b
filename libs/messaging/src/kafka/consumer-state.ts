import { Injectable } from '@nestjs/common';
import { Consumer } from 'kafkajs';

/**
 * Whether this app's Nest consumer is a live member of its group. kafkajs resolves `run()` after
 * the first join; later the events keep this true to what the consumer is doing.
 */
@Injectable()
export class KafkaConsumerState {
  private readonly problems = new Map<Consumer, string | null>();
  private consumes = false;
  private group?: string;

  /** Apps without Kafka handlers have no consumer to wait for. */
  get hasConsumer(): boolean {
    return this.consumes;
  }

  /** The first problem of any of the app's consumers (a read-side app has two: events and requests). */
  get notReadyReason(): string | null {
    if (!this.consumes) return null;
    if (this.problems.size === 0) return 'the consumer has not joined its group yet';
    for (const problem of this.problems.values()) if (problem !== null) return problem;
    return null;
  }

  /**
   * The group this app's first consumer joined, as configured (Nest appends `-server`): the one that
   * takes its events. Unset before `watch`.
   */
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
    this.group ??= groupId;
    this.problems.set(consumer, null);
    const report = (problem: string | null) => () => this.problems.set(consumer, problem);
    consumer.on(consumer.events.GROUP_JOIN, report(null));
    consumer.on(consumer.events.CRASH, (event) =>
      this.problems.set(consumer, `the consumer crashed: ${String(event.payload.error)}`),
    );
    consumer.on(consumer.events.STOP, report('the consumer stopped'));
    consumer.on(consumer.events.DISCONNECT, report('the consumer is disconnected'));
  }
}
