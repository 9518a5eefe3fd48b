import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule, messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { CustomerAccountEntity } from './customers/customer-account.entity';
import { CustomersModule } from './customers/customers.module';
import { PaymentsTables1764100000300 } from './migrations/1764100000300-payments-tables';
import { paymentsEnvSchema } from './payments.env';
import { PaymentEntity } from './payments/payment.entity';
import { PaymentsModule } from './payments/payments.module';

@Module({
  imports: [
    ServiceConfigModule.forRoot(paymentsEnvSchema),
    PersistenceModule.forService({
      service: 'payments',
      entities: [...messagingEntities, CustomerAccountEntity, PaymentEntity],
      migrations: [...messagingMigrations, PaymentsTables1764100000300],
    }),
    MessagingModule.forService({ service: 'payments', transactions: true }),
    ObservabilityModule.forService({ service: 'payments' }),
    CustomersModule,
    PaymentsModule,
  ],
})
export class PaymentsAppModule {}
