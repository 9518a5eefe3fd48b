import type { LoggerService } from '@nestjs/common';
import type { Consumer, ConsumerCrashEvent } from 'kafkajs';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * kafkajs restarts a crashed consumer only after a retriable error. One that is not ("Failed to find
 * group coordinator" while the broker restarts) leaves the consumer stopped for good: the app stays
 * alive consuming nothing. This watches a consumer and, after such a crash, connects it and runs it
 * again (`runAgain`: subscribe and run), after 1 s and doubling up to 30 s, until it joins its group.
 */
export class CrashedConsumerRestart {
  private isStopped = false;
  private isDown = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly runAgain: () => Promise<void>,
    private readonly logger: Pick<LoggerService, 'warn'>,
  ) {
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => {
      if (event.payload.restart) return;
      this.isDown = true;
      this.schedule();
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.isDown = false;
      this.attempt = 0;
    });
  }

  /** True from a crash kafkajs does not restart until the consumer has joined its group again. */
  get consumerIsDown(): boolean {
    return this.isDown;
  }

  /** No further attempt from now on (the app is stopping). */
  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }

  /** One pending attempt at a time; a crash of the attempt itself (its join failed) schedules the next. */
  private schedule(): void {
    if (this.isStopped || this.timer) return;
    this.attempt += 1;
    const delayMs = Math.min(FIRST_DELAY_MS * 2 ** (this.attempt - 1), MAX_DELAY_MS);
    this.logger.warn(`the consumer crashed and kafkajs will not restart it: running it again in ${delayMs} ms`);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.restart();
    }, delayMs);
  }

  private async restart(): Promise<void> {
    if (this.isStopped) return;
    try {
      await this.consumer.connect();
      await this.runAgain();
    } catch (error) {
      this.logger.warn(`running the consumer again failed (attempt ${this.attempt}): ${String(error)}`);
      this.schedule();
    }
  }
}
