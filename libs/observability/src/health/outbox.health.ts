import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { OutboxBacklog } from '../metrics/outbox-backlog';

export const DEFAULT_OUTBOX_READY_MAX_BACKLOG = 1_000;

/**
 * Not ready while the outbox holds more unpublished messages than the threshold: the relay cannot
 * reach Kafka, so taking more work only grows the backlog. Up for apps without an outbox.
 */
@Injectable()
export class OutboxHealthIndicator {
  private readonly maxBacklog: number;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly backlog: OutboxBacklog,
    config: ConfigService,
  ) {
    this.maxBacklog = Number(config.get('OUTBOX_READY_MAX_BACKLOG') ?? DEFAULT_OUTBOX_READY_MAX_BACKLOG);
  }

  async check(): Promise<HealthIndicatorResult<'outbox'>> {
    const indicator = this.indicators.check('outbox');
    const reading = await this.backlog.read();
    if (!reading) return indicator.up({ unpublished: 0 });
    const details = { unpublished: reading.unpublished, maxBacklog: this.maxBacklog };
    return reading.unpublished > this.maxBacklog ? indicator.down(details) : indicator.up(details);
  }
}
