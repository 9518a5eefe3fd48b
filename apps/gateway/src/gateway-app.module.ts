import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule } from '@orderflow/messaging';
import { AuditModule } from './audit/audit.module';
import { ActAsPrincipalInterceptor } from './auth/act-as-principal.interceptor';
import { AuthModule } from './auth/auth.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { ContractsDocsModule } from './contracts-docs/contracts-docs.module';
import { CustomersModule } from './customers/customers.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { gatewayEnvSchema } from './gateway.env';
import { HttpErrorFilter } from './http/http-error.filter';
import { RequestIdMiddleware } from './http/request-id.middleware';
import { OrderEventsModule } from './order-events/order-events.module';
import { OrdersModule } from './orders/orders.module';
import { ProductsModule } from './products/products.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SearchModule } from './search/search.module';

/** Stateless: no database, only request-reply to the services and this instance's status-change consumer. */
@Module({
  imports: [
    ServiceConfigModule.forRoot(gatewayEnvSchema),
    MessagingModule.forService({ service: 'gateway', requests: true }),
    ObservabilityModule.forService({ service: 'gateway' }),
    AuthModule,
    OrdersModule,
    ProductsModule,
    CustomersModule,
    AnalyticsModule,
    DashboardModule,
    OrderEventsModule,
    AuditModule,
    SearchModule,
    ContractsDocsModule,
    // Last: its guard runs after the guards of the modules above (the bearer token's sets the principal).
    RateLimitModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: ActAsPrincipalInterceptor },
  ],
})
export class GatewayAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*');
  }
}
