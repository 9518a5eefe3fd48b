import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { ConsumerLag } from './metrics/consumer-lag';
import { MessageTableSizes } from './metrics/message-table-sizes';
import { MESSAGE_METRICS } from '@orderflow/messaging';
import { OrderflowMetrics, orderflowMetricsProvider } from './metrics/orderflow-metrics';
import { ScrapedGauges } from './metrics/scraped-gauges';

export interface ObservabilityOptions {
  /** The service name on every log line and metric (`service` label). */
  service: string;
}

/**
 * Everything an operator watches, for one app: JSON logs (pino), the metrics (Prometheus; runService
 * serves them on the app's management port, off the public one) and `/health/live` + `/health/ready`
 * (terminus). Its HandlerMetricsInterceptor is placed around the
 * handlers by runService, inside the retrying one (libs/runtime's handler pipeline).
 */
@Module({})
export class ObservabilityModule {
  static forService(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggingModule.forService(options.service), HealthModule],
      providers: [
        orderflowMetricsProvider(options.service),
        { provide: MESSAGE_METRICS, useExisting: OrderflowMetrics },
        ConsumerLag,
        MessageTableSizes,
        ScrapedGauges,
      ],
      exports: [OrderflowMetrics, MESSAGE_METRICS],
    };
  }
}
