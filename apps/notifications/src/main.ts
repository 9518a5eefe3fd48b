import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { NotificationsAppModule } from './notifications-app.module';
import { notificationsEnvSchema } from './notifications.env';

void runService({ service: 'notifications', module: NotificationsAppModule, env: notificationsEnvSchema });
