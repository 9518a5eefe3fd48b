import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NotificationsEnv } from '../notifications.env';
import { toPendingWebhook } from './notification-view';
import { NotificationEntity } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';
import { WebhookDelivery } from './webhook-delivery';

/** The webhook side of notifications: background delivery, resumed at start-up, stopped before the database closes. */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly delivery: WebhookDelivery | null;

  constructor(
    private readonly repository: NotificationsRepository,
    config: ConfigService<NotificationsEnv, true>,
  ) {
    const url = config.get('WEBHOOK_URL', { infer: true });
    this.delivery = url
      ? new WebhookDelivery(
          repository,
          {
            url,
            maxAttempts: config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true }),
            backoffMs: config.get('WEBHOOK_BACKOFF_MS', { infer: true }),
            timeoutMs: config.get('WEBHOOK_TIMEOUT_MS', { infer: true }),
          },
          this.logger,
        )
      : null;
  }

  get isConfigured(): boolean {
    return this.delivery !== null;
  }

  /** Call after the notification is committed; never blocks the Kafka handler. */
  schedule(notification: NotificationEntity): void {
    this.delivery?.schedule(toPendingWebhook(notification));
  }

  /** PENDING rows are deliveries a previous run did not finish. */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.repository.findPendingWebhooks();
    if (pending.length === 0) return;
    if (!this.delivery) {
      this.logger.warn(`${pending.length} webhooks are PENDING but WEBHOOK_URL is not set; left as they are`);
      return;
    }
    this.logger.log(`resuming ${pending.length} pending webhooks`);
    for (const notification of pending) this.schedule(notification);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.delivery?.stop();
  }
}
