import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { OrderflowMetrics } from './orderflow-metrics';

/** `GET /metrics` in Prometheus' text format, on the app's HTTP port. */
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
