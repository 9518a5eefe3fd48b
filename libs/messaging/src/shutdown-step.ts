import type { LoggerService } from '@nestjs/common';
import type { KafkaSettings } from './kafka/kafka-settings';
import { settlesWithin } from './settles-within';

export interface ShutdownStep {
  settings: Pick<KafkaSettings, 'shutdownTimeoutMs'>;
  /**
   * How SHUTDOWN_TIMEOUT_MS is shared, so an unreachable broker cannot make a stop overrun it: the
   * first steps, which run side by side (the server consumer's stop, and HTTP's: no new connections,
   * the requests in flight answered), may take half; each later step that talks to the broker (the
   * outbox's final flush, the reply client's close, the lag metrics' admin client) a fifth, and an
   * app has at most two of them. What a step leaves undone is redelivered, stays in the outbox or, for
   * a request still in flight, loses its connection (the client retries it with its Idempotency-Key).
   */
  share: 'first-step' | 'later-step';
  logger: Pick<LoggerService, 'warn'>;
  /** What is said if it takes longer: `<overrun> within <budget> ms: <then>`. */
  overrun: string;
  then: string;
}

/** Waits for one step of a stop at most its share of the budget; past it, says so and goes on. */
export async function awaitShutdownStep(step: Promise<unknown>, options: ShutdownStep): Promise<void> {
  const budgetMs = Math.floor(options.settings.shutdownTimeoutMs * (options.share === 'first-step' ? 0.5 : 0.2));
  if (!(await settlesWithin(step, budgetMs))) {
    options.logger.warn(`${options.overrun} within ${budgetMs} ms: ${options.then}`);
  }
}
