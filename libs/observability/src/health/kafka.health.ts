import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaConsumerState, RequestClient } from '@orderflow/messaging';

/** Ready when the app's consumer is a live group member and, for callers, every reply topic has a partition here. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly consumer: KafkaConsumerState,
    @Optional() private readonly requests?: RequestClient,
  ) {}

  check(): HealthIndicatorResult<'kafka'> {
    const indicator = this.indicators.check('kafka');
    const consumerProblem = this.consumer.notReadyReason;
    if (consumerProblem) return indicator.down({ message: consumerProblem });
    if (this.requests && !this.requests.isReady()) {
      return indicator.down({ message: 'no reply partition assigned to this instance (rebalancing)' });
    }
    return indicator.up();
  }
}
