import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  OrderConfirmedMessage,
  OrderCreatedMessage,
  OrderStatusChangedMessage,
  Topics,
  TopSkusView,
} from '@orderflow/contracts';
import { KafkaConnection, RequestClient } from '@orderflow/messaging';
import { Observable, Subject } from 'rxjs';
import { DashboardFeed, DashboardSnapshot, OrderRow } from './dashboard-feed';

export type DashboardEvent = { type: 'snapshot'; data: DashboardSnapshot } | { type: 'order'; data: OrderRow };

const SNAPSHOT_EVERY_MS = 1_000;
const REFRESH_EVERY_MS = 5_000;
/** Consumer groups that are callers' reply groups or per-instance gateway groups, not services. */
const NOT_A_SERVICE = /(-client$|^gateway-|^e2e-|^dlq-)/;

/**
 * Feeds the live dashboard: order events as this instance consumes them (pushed to the pages at
 * once), a snapshot every second, and every few seconds what it asks Kafka and the analytics
 * service: dead-letter counts (the end offsets of the `.dlq` topics), the services' consumer groups
 * (a service with no live member is down) and the latest top SKUs. Snapshots and questions run only
 * while a page is open: a round is about a hundred admin requests to the broker (a coordinator lookup
 * per group, the offsets of every `.dlq` topic), and a snapshot a second kept an idle gateway
 * allocating, so V8 never shrank its young generation (16 MB resident for nothing).
 */
@Injectable()
export class DashboardService implements OnApplicationShutdown {
  private readonly logger = new Logger(DashboardService.name);
  private readonly feed = new DashboardFeed();
  private readonly events = new Subject<DashboardEvent>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private openPages = 0;
  private isRefreshing = false;

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly requests: RequestClient,
  ) {}

  onApplicationShutdown(): void {
    clearInterval(this.snapshotTimer);
    clearInterval(this.refreshTimer);
    this.events.complete();
  }

  /** Every page gets the current snapshot first, then the live events; the first page starts the refreshes. */
  stream(): Observable<DashboardEvent> {
    return new Observable<DashboardEvent>((subscriber) => {
      this.pageOpened();
      subscriber.next({ type: 'snapshot', data: this.feed.snapshot() });
      const subscription = this.events.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.pageClosed();
      };
    });
  }

  created(message: OrderCreatedMessage): void {
    const { orderId, customerId } = message.payload;
    const row = this.feed.created({ orderId, customerId, at: message.occurredAt });
    this.events.next({ type: 'order', data: row });
  }

  statusChanged(message: OrderStatusChangedMessage): void {
    const { orderId, customerId, status, reason } = message.payload;
    const row = this.feed.statusChanged({
      orderId,
      customerId,
      status,
      reason: reason ?? null,
      at: message.occurredAt,
    });
    this.events.next({ type: 'order', data: row });
  }

  confirmed(message: OrderConfirmedMessage): void {
    const row = this.feed.confirmed(message.payload.orderId, message.payload.totalCents);
    if (row) this.events.next({ type: 'order', data: row });
  }

  private pageOpened(): void {
    this.openPages += 1;
    if (this.openPages > 1) return;
    void this.refresh();
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    this.snapshotTimer = setInterval(
      () => this.events.next({ type: 'snapshot', data: this.feed.snapshot() }),
      SNAPSHOT_EVERY_MS,
    );
  }

  private pageClosed(): void {
    this.openPages -= 1;
    if (this.openPages > 0) return;
    clearInterval(this.refreshTimer);
    clearInterval(this.snapshotTimer);
    this.refreshTimer = undefined;
    this.snapshotTimer = undefined;
  }

  private async refresh(): Promise<void> {
    if (this.isRefreshing) return;
    this.isRefreshing = true;
    try {
      await Promise.all([this.refreshKafka(), this.refreshTopSkus()]);
    } finally {
      this.isRefreshing = false;
    }
  }

  private async refreshKafka(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((topic) => topic.endsWith('.dlq')).sort();
      const deadLetters = await Promise.all(
        topics.map(async (topic) => {
          const offsets = await admin.fetchTopicOffsets(topic);
          const count = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
          return { topic, count };
        }),
      );
      this.feed.deadLetters = deadLetters.filter(({ count }) => count > 0);
      const groupIds = (await admin.listGroups()).groups
        .map(({ groupId }) => groupId)
        .filter((groupId) => !NOT_A_SERVICE.test(groupId))
        .sort();
      const described = groupIds.length > 0 ? (await admin.describeGroups(groupIds)).groups : [];
      this.feed.services = described.map((group) => ({
        name: group.groupId,
        state: group.members.length > 0 ? group.state : 'Down',
        members: group.members.length,
      }));
    } catch (error) {
      this.logger.warn(`dashboard refresh from Kafka failed: ${String(error)}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async refreshTopSkus(): Promise<void> {
    try {
      this.feed.topSkus = await this.requests.request<TopSkusView>(
        Topics.AnalyticsTopSkus,
        {},
        { correlationId: 'dashboard' },
      );
    } catch {
      // No closed window yet, or analytics is down: the page keeps showing the last ranking.
    }
  }
}
