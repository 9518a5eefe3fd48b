import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { OutboxBacklog } from '../metrics/outbox-backlog';
import { KafkaHealthIndicator } from './kafka.health';
import { OutboxHealthIndicator } from './outbox.health';

/** `GET /health/live` and `GET /health/ready`, on the app's HTTP port. ObservabilityModule includes it. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, OutboxHealthIndicator, OutboxBacklog],
  exports: [OutboxBacklog],
})
export class HealthModule {}
