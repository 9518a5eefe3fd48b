/**
 * Every topic of the system, in one typed registry. A pattern is a topic (Nest's convention):
 * `@MessagePattern(Topics.OrdersCreate)` answers on `orders.create.reply`.
 */
export const RequestTopics = {
  OrdersCreate: 'orders.create',
  OrdersGet: 'orders.get',
  OrdersList: 'orders.list',
  OrdersCancel: 'orders.cancel',
  ProductsCreate: 'inventory.products.create',
  ProductsGet: 'inventory.products.get',
  ProductsList: 'inventory.products.list',
  ProductsRestock: 'inventory.products.restock',
  CustomersCreate: 'payments.customers.create',
  CustomersGet: 'payments.customers.get',
  NotificationsList: 'notifications.list',
  AnalyticsSkuSales: 'analytics.sku-sales.get',
  AnalyticsTopSkus: 'analytics.top-skus.get',
  AnalyticsCustomerTotals: 'analytics.customer-totals.get',
  AnalyticsCancellations: 'analytics.cancellations.get',
  AuditList: 'audit.events.list',
  AuditTimeline: 'audit.orders.timeline',
  SearchOrders: 'search.orders',
} as const;

/** Commands the order saga sends; each is handled by exactly one service. */
export const CommandTopics = {
  InventoryReserve: 'inventory.reserve',
  InventoryRelease: 'inventory.release',
  PaymentsCharge: 'payments.charge',
  PaymentsRefund: 'payments.refund',
} as const;

/** Domain events: facts that any service may subscribe to without the producer knowing. */
export const EventTopics = {
  OrderCreated: 'order.created',
  OrderStatusChanged: 'order.status-changed',
  OrderConfirmed: 'order.confirmed',
  OrderCancelled: 'order.cancelled',
  StockReserved: 'inventory.reserved',
  StockRejected: 'inventory.rejected',
  StockReleased: 'inventory.released',
  PaymentCharged: 'payment.charged',
  PaymentDeclined: 'payment.declined',
  PaymentRefunded: 'payment.refunded',
  ProductRegistered: 'product.registered',
} as const;

export const Topics = { ...RequestTopics, ...CommandTopics, ...EventTopics } as const;

export type RequestTopic = (typeof RequestTopics)[keyof typeof RequestTopics];
export type CommandTopic = (typeof CommandTopics)[keyof typeof CommandTopics];
export type EventTopic = (typeof EventTopics)[keyof typeof EventTopics];
/** Topics whose messages carry an envelope and are consumed with `@EventPattern`. */
export type MessageTopic = CommandTopic | EventTopic;
export type Topic = RequestTopic | MessageTopic;

export const requestTopics: readonly RequestTopic[] = Object.values(RequestTopics);
export const commandTopics: readonly CommandTopic[] = Object.values(CommandTopics);
export const eventTopics: readonly EventTopic[] = Object.values(EventTopics);

/** Nest's ClientKafka listens for the answer to `<pattern>` on `<pattern>.reply`. */
export function replyTopicOf(topic: RequestTopic): string {
  return `${topic}.reply`;
}

export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
