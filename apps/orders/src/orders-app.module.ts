import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule, messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { OrdersTables1764100000100 } from './migrations/1764100000100-orders-tables';
import { IdempotencyFingerprint1764100000200 } from './migrations/1764100000200-idempotency-fingerprint';
import { ordersEnvSchema } from './orders.env';
import { OrderLineEntity } from './orders/order-line.entity';
import { OrderStatusChangeEntity } from './orders/order-status-change.entity';
import { OrderEntity } from './orders/order.entity';
import { OrdersModule } from './orders/orders.module';

@Module({
  imports: [
    ServiceConfigModule.forRoot(ordersEnvSchema),
    PersistenceModule.forService({
      service: 'orders',
      entities: [...messagingEntities, OrderEntity, OrderLineEntity, OrderStatusChangeEntity],
      migrations: [...messagingMigrations, OrdersTables1764100000100, IdempotencyFingerprint1764100000200],
    }),
    MessagingModule.forService({ service: 'orders', transactions: true }),
    ObservabilityModule.forService({ service: 'orders' }),
    OrdersModule,
  ],
})
export class OrdersAppModule {}
