import { AnalyticsResultTopic } from '../analytics.messages';
import { CommandTopic, EventTopic, RequestTopic } from '../topics';

/** Every topic that carries a message class of ours (replies are views, dead letters copies). */
export type VersionedTopic = RequestTopic | CommandTopic | EventTopic | AnalyticsResultTopic;

/**
 * The current schema version of each message type. A change that the compatibility gate refuses
 * needs the next version here, a snapshot of it, and an upcaster from the previous one
 * (docs/contracts.md). A message without a version is version 1.
 */
export const schemaVersions: Record<VersionedTopic, number> = {
  'orders.create': 1,
  'orders.get': 1,
  'orders.list': 1,
  'orders.cancel': 1,
  'inventory.products.create': 1,
  'inventory.products.get': 1,
  'inventory.products.list': 1,
  'inventory.products.restock': 1,
  'payments.customers.create': 1,
  'payments.customers.get': 1,
  'notifications.list': 1,
  'analytics.sku-sales.get': 1,
  'analytics.top-skus.get': 1,
  'analytics.customer-totals.get': 1,
  'analytics.cancellations.get': 1,
  'audit.events.list': 1,
  'audit.orders.timeline': 1,
  'search.orders': 1,
  'inventory.reserve': 1,
  'inventory.release': 1,
  'payments.charge': 1,
  'payments.refund': 1,
  'order.created': 1,
  'order.status-changed': 1,
  'order.confirmed': 1,
  'order.cancelled': 1,
  'inventory.reserved': 1,
  'inventory.rejected': 2,
  'inventory.released': 1,
  'payment.charged': 1,
  'payment.declined': 1,
  'payment.refunded': 1,
  'product.registered': 1,
  'analytics.sku-sales': 1,
  'analytics.top-skus': 1,
  'analytics.customer-totals': 1,
  'analytics.cancellations': 1,
};
