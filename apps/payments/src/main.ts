import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { PaymentsAppModule } from './payments-app.module';

void runService({ service: 'payments', module: PaymentsAppModule });
