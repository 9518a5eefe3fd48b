import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { PaymentsAppModule } from './payments-app.module';
import { paymentsEnvSchema } from './payments.env';

void runService({ service: 'payments', module: PaymentsAppModule, env: paymentsEnvSchema });
