import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { ConsumerLag } from './metrics/consumer-lag';
import { HandlerMetricsInterceptor } from './metrics/handler-metrics.interceptor';
import { MetricsController } from './metrics/metrics.controller';
import { MESSAGE_METRICS } from '@orderflow/messaging';
import { OrderflowMetrics, orderflowMetricsProvider } from './metrics/orderflow-metrics';
import { ScrapedGauges } from './metrics/scraped-gauges';

export interface ObservabilityOptions {
  /** The service name on every log line and metric (`service` label). */
  service: string;
}

/**
 * Everything an operator watches, for one app: JSON logs (pino), `/metrics` (Prometheus) and
 * `/health/live` + `/health/ready` (terminus). Import it after MessagingModule, so that its handler
 * interceptor sits inside the retrying one and measures every attempt.
 */
@Module({})
export class ObservabilityModule {
  static forService(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggingModule.forService(options.service), HealthModule],
      controllers: [MetricsController],
      providers: [
        orderflowMetricsProvider(options.service),
        { provide: MESSAGE_METRICS, useExisting: OrderflowMetrics },
        { provide: APP_INTERCEPTOR, useClass: HandlerMetricsInterceptor },
        ConsumerLag,
        ScrapedGauges,
      ],
      exports: [OrderflowMetrics, MESSAGE_METRICS],
    };
  }
}
