import { Controller, Get, Header, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { OpenEndpoint } from '../http/open-endpoint';
import { KafkaHealthIndicator } from './kafka.health';
import { OutboxHealthIndicator } from './outbox.health';

/**
 * Who answers, on every probe: a supervisor (tools/system) counts an app as up only when the answer
 * comes from the process it started, not from another one that holds the port.
 */
const PROCESS_ID_HEADER = 'X-Process-Id';

@OpenEndpoint()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly database: TypeOrmHealthIndicator,
    private readonly outbox: OutboxHealthIndicator,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @Header(PROCESS_ID_HEADER, String(process.pid))
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Kafka reachable and the group joined; the database answering and the outbox draining where the app has one. */
  @Get('ready')
  @Header(PROCESS_ID_HEADER, String(process.pid))
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.kafka.check(),
      ...(this.dataSource
        ? [() => this.database.pingCheck('database', { timeout: 1_500 }), () => this.outbox.check()]
        : []),
    ]);
  }
}
