import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { NotificationsAppModule } from './notifications-app.module';

void runService({ service: 'notifications', module: NotificationsAppModule });
