import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { OpenEndpoint } from '../http/open-endpoint';
import { OrderflowMetrics } from './orderflow-metrics';

/**
 * `GET /metrics` in Prometheus' text format, on the app's HTTP port. Open as it was before bearer tokens:
 * taking it off the public port is the management-port change's part, not the guard's.
 */
@OpenEndpoint()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: OrderflowMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
