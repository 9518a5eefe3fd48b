import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule, messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { NotificationTable1764100000400 } from './migrations/1764100000400-notification-table';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { notificationsEnvSchema } from './notifications.env';

@Module({
  imports: [
    ServiceConfigModule.forRoot(notificationsEnvSchema),
    PersistenceModule.forService({
      service: 'notifications',
      entities: [...messagingEntities, NotificationEntity],
      migrations: [...messagingMigrations, NotificationTable1764100000400],
    }),
    MessagingModule.forService({ service: 'notifications', transactions: true }),
    ObservabilityModule.forService({ service: 'notifications' }),
    NotificationsModule,
  ],
})
export class NotificationsAppModule {}
