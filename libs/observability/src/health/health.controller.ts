import { Controller, Get, Optional, Req, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { OpenEndpoint } from '../http/open-endpoint';
import { KafkaHealthIndicator } from './kafka.health';
import { OutboxHealthIndicator } from './outbox.health';
import { nameProcessToLocalCaller } from './process-id-header';

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
  @HealthCheck()
  live(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    nameProcessToLocalCaller(request, response);
    return this.health.check([]);
  }

  /** Kafka reachable and the group joined; the database answering and the outbox draining where the app has one. */
  @Get('ready')
  @HealthCheck()
  ready(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    nameProcessToLocalCaller(request, response);
    return this.health.check([
      () => this.kafka.check(),
      ...(this.dataSource
        ? [() => this.database.pingCheck('database', { timeout: 1_500 }), () => this.outbox.check()]
        : []),
    ]);
  }
}
