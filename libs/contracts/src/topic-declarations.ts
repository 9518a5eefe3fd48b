import {
  CancellationCount,
  CancellationsRequest,
  CustomerTotals,
  CustomerTotalsRequest,
  SkuSalesRequest,
  SkuWindowSales,
  TopSkus,
  TopSkusRequest,
} from './analytics.messages';
import { ListAuditEventsRequest, OrderTimelineRequest } from './audit.messages';
import { EnvelopeClass } from './envelope';
import {
  CreateProductRequest,
  ListProductsRequest,
  ProductSkuRequest,
  RestockProductRequest,
} from './inventory.messages';
import { messageClasses } from './messages';
import { ListNotificationsRequest } from './notifications.messages';
import { CreateOrderRequest, ListOrdersRequest, OrderIdRequest } from './orders.messages';
import { CreateCustomerRequest, CustomerIdRequest } from './payments.messages';
import { SearchOrdersRequest } from './search.messages';
import { AnalyticsResultTopic, AnalyticsResultTopics } from './analytics.messages';
import { CommandTopic, deadLetterTopicOf, EventTopic, replyTopicOf, RequestTopic, Topics } from './topics';

/**
 * Who talks to whom over Kafka: the one declaration of every topic's messages, producers, consumers
 * (and their consumer groups), key and kind. A spec checks it against the code of every app and the
 * stream processor's topology; the flow map, the AsyncAPI document and the Kafka ACLs come from it.
 */

/** Everything that holds a Kafka principal: the Nest apps, the stream processor and the tools. */
export const Participants = {
  Gateway: 'gateway',
  Orders: 'orders',
  Inventory: 'inventory',
  Payments: 'payments',
  Notifications: 'notifications',
  Audit: 'audit',
  Search: 'search',
  Analytics: 'analytics',
  OrderAnalytics: 'order-analytics',
  SearchRebuild: 'search-rebuild',
  DeadLetterTool: 'dlq-tool',
} as const;
export type Participant = (typeof Participants)[keyof typeof Participants];

/** The Nest apps under apps/ (the others are the Java processor and command-line tools). */
export const nestApps = [
  Participants.Gateway,
  Participants.Orders,
  Participants.Inventory,
  Participants.Payments,
  Participants.Notifications,
  Participants.Audit,
  Participants.Search,
  Participants.Analytics,
] as const;
export type NestApp = (typeof nestApps)[number];

/**
 * A consumer group: an exact id, or a prefix for groups made per instance or per run (the gateway's
 * broadcast group, the tools' throw-away groups). Kafka ACLs take both forms as they are.
 */
export interface ConsumerGroup {
  id: string;
  match: 'exact' | 'prefix';
}

const exact = (id: string): ConsumerGroup => ({ id, match: 'exact' });
const prefix = (id: string): ConsumerGroup => ({ id, match: 'prefix' });

/**
 * The group each participant reads its subscriptions in. Nest's ServerKafka appends `-server` to the
 * configured group id, and its ClientKafka reads replies in `<groupId>-client`.
 */
export const consumerGroups: Record<Participant, ConsumerGroup> = {
  // One group per instance, from the latest offset: every instance sees every status change.
  gateway: prefix('gateway-'),
  orders: exact('orders-server'),
  inventory: exact('inventory-server'),
  payments: exact('payments-server'),
  notifications: exact('notifications-server'),
  // AUDIT_GROUP_ID may name another group (a second, independent copy of the log): `audit` is its prefix.
  audit: prefix('audit'),
  search: exact('search-server'),
  analytics: exact('analytics-server'),
  // Kafka Streams' application.id; it also names the processor's internal topics.
  'order-analytics': exact('order-analytics'),
  'search-rebuild': prefix('search-rebuild-'),
  // A throw-away group per listing, and `dlq-tool-replay`, whose offsets mark what was replayed.
  'dlq-tool': prefix('dlq-tool-'),
};

/**
 * The read side (notifications, audit, search, analytics) consumes its requests in a group of its own,
 * apart from the events, so that its event consumer may let the broker gather a batch (a fetch waits
 * for its minimum bytes across every partition it asks for, requests included). ServerKafka appends
 * `-server` to `<group>-requests`; audit's group is its AUDIT_GROUP_ID, within the `audit` prefix.
 */
export const requestGroups: Partial<Record<NestApp, ConsumerGroup>> = {
  notifications: exact('notifications-requests-server'),
  audit: prefix('audit'),
  search: exact('search-requests-server'),
  analytics: exact('analytics-requests-server'),
};

export function replyGroupOf(participant: NestApp): ConsumerGroup {
  return exact(`${participant}-client`);
}

export type TopicKind = 'request' | 'reply' | 'command' | 'event' | 'dead-letter' | 'stream-result' | 'stream-internal';

export type MessageClass = (new () => object) | EnvelopeClass<object>;

interface Declared {
  kind: TopicKind;
  /** What one message is: its validated class (an envelope class for commands and events). */
  message: MessageClass | null;
  /** What the record key holds, so that one aggregate's messages keep their order. */
  key: string;
  producers: readonly Participant[];
  consumers: readonly Participant[];
  summary: string;
}

export interface TopicDeclaration extends Declared {
  topic: string;
  /** The consumer group of each consumer, in the order of `consumers`. */
  groups: readonly ConsumerGroup[];
  /** For a reply or dead-letter topic: the topic it belongs to. */
  of?: string;
}

const { Gateway, Orders, Inventory, Payments, Notifications, Audit, Search, Analytics } = Participants;
const { OrderAnalytics, SearchRebuild, DeadLetterTool } = Participants;

function request(
  message: new () => object,
  server: NestApp,
  key: string,
  summary: string,
  callers: readonly NestApp[] = [Gateway],
): Declared {
  return { kind: 'request', message, key, producers: callers, consumers: [server], summary };
}

function command(server: NestApp, summary: string): Omit<Declared, 'message'> {
  return { kind: 'command', key: 'orderId', producers: [Orders], consumers: [server], summary };
}

function event(
  producer: NestApp,
  key: string,
  consumers: readonly Participant[],
  summary: string,
): Omit<Declared, 'message'> {
  // Every event is recorded by audit and can be re-read by the dead-letter tool's replay.
  return { kind: 'event', key, producers: [producer], consumers: [...consumers, Audit], summary };
}

const requests: Record<RequestTopic, Declared> = {
  [Topics.OrdersCreate]: request(
    CreateOrderRequest,
    Orders,
    'customerId',
    'Place an order; answered at once as PENDING.',
  ),
  [Topics.OrdersGet]: request(OrderIdRequest, Orders, 'orderId', 'One order with its lines and history.'),
  [Topics.OrdersList]: request(ListOrdersRequest, Orders, 'customerId, when given', 'A page of orders.'),
  [Topics.OrdersCancel]: request(OrderIdRequest, Orders, 'orderId', "The customer's cancel."),
  [Topics.ProductsCreate]: request(CreateProductRequest, Inventory, 'sku', 'Register a product with its stock.'),
  [Topics.ProductsGet]: request(ProductSkuRequest, Inventory, 'sku', 'One product.'),
  [Topics.ProductsList]: request(ListProductsRequest, Inventory, 'none', 'A page of products.'),
  [Topics.ProductsRestock]: request(RestockProductRequest, Inventory, 'sku', 'Add stock to a product.'),
  [Topics.CustomersCreate]: request(CreateCustomerRequest, Payments, 'customerId', 'Open a customer account.'),
  [Topics.CustomersGet]: request(CustomerIdRequest, Payments, 'customerId', "A customer's balance."),
  [Topics.NotificationsList]: request(
    ListNotificationsRequest,
    Notifications,
    'customerId',
    "A customer's notifications.",
  ),
  [Topics.AnalyticsSkuSales]: request(SkuSalesRequest, Analytics, 'sku', "One SKU's sales per minute."),
  [Topics.AnalyticsTopSkus]: request(TopSkusRequest, Analytics, 'none', 'The best-selling SKUs of the last window.'),
  [Topics.AnalyticsCustomerTotals]: request(CustomerTotalsRequest, Analytics, 'customerId', "A customer's totals."),
  [Topics.AnalyticsCancellations]: request(
    CancellationsRequest,
    Analytics,
    'reason, when given',
    'Cancellations per minute.',
  ),
  [Topics.AuditList]: request(ListAuditEventsRequest, Audit, 'none', 'A page of the event log.'),
  [Topics.AuditTimeline]: request(OrderTimelineRequest, Audit, 'orderId', "One order's events in causal order."),
  [Topics.SearchOrders]: request(SearchOrdersRequest, Search, 'none', 'Full-text search over orders.'),
};

const commands: Record<CommandTopic, Omit<Declared, 'message'>> = {
  [Topics.InventoryReserve]: command(Inventory, 'Reserve every line of an order, or none.'),
  [Topics.InventoryRelease]: command(Inventory, "Give an order's reserved stock back (compensation)."),
  [Topics.PaymentsCharge]: command(Payments, "Charge the order's total to the customer."),
  [Topics.PaymentsRefund]: command(Payments, 'Refund a charge (compensation).'),
};

const events: Record<EventTopic, Omit<Declared, 'message'>> = {
  [Topics.OrderCreated]: event(Orders, 'orderId', [Gateway, Search, SearchRebuild], 'A new order, PENDING.'),
  [Topics.OrderStatusChanged]: event(
    Orders,
    'orderId',
    [Gateway, Search, SearchRebuild],
    "Every step of an order's state machine.",
  ),
  [Topics.OrderConfirmed]: event(
    Orders,
    'orderId',
    [Gateway, Notifications, Search, SearchRebuild, OrderAnalytics],
    'The order is paid and final.',
  ),
  [Topics.OrderCancelled]: event(
    Orders,
    'orderId',
    [Notifications, Search, SearchRebuild, OrderAnalytics],
    'The order ended without a sale; anything charged was refunded.',
  ),
  [Topics.StockReserved]: event(
    Inventory,
    'orderId',
    [Orders, Search, SearchRebuild, OrderAnalytics],
    'Every line reserved, with prices.',
  ),
  [Topics.StockRejected]: event(Inventory, 'orderId', [Orders], 'Unknown SKUs or not enough stock.'),
  [Topics.StockReleased]: event(Inventory, 'orderId', [Orders], "An order's reservation given back."),
  [Topics.PaymentCharged]: event(Payments, 'orderId', [Orders], 'The customer was charged.'),
  [Topics.PaymentDeclined]: event(Payments, 'orderId', [Orders], 'The charge was declined.'),
  [Topics.PaymentRefunded]: event(Payments, 'orderId', [Orders], 'A charge was refunded.'),
  [Topics.ProductRegistered]: event(Inventory, 'sku', [Search, SearchRebuild], 'A new product, for read models.'),
};

/** Written by the Kafka Streams processor (streams/order-analytics), compacted, plain JSON records. */
const streamResults: Record<AnalyticsResultTopic, Declared> = {
  [AnalyticsResultTopics.SkuSales]: streamResult(
    SkuWindowSales,
    'sku@windowStart',
    "One SKU's sales in a closed minute.",
  ),
  [AnalyticsResultTopics.TopSkus]: streamResult(TopSkus, 'windowStart', 'The best-selling SKUs of a closed window.'),
  [AnalyticsResultTopics.CustomerTotals]: streamResult(CustomerTotals, 'customerId', "A customer's running totals."),
  [AnalyticsResultTopics.Cancellations]: streamResult(
    CancellationCount,
    'reason@windowStart',
    'Cancellations by reason in a closed minute.',
  ),
};

function streamResult(message: new () => object, key: string, summary: string): Declared {
  return { kind: 'stream-result', message, key, producers: [OrderAnalytics], consumers: [Analytics], summary };
}

/** The stream processor's wall-clock ticks: they advance stream time so that windows close while no orders flow. */
export const AnalyticsClockTopic = 'analytics.clock';

const streamInternal: Record<typeof AnalyticsClockTopic, Declared> = {
  [AnalyticsClockTopic]: {
    kind: 'stream-internal',
    message: null,
    key: 'none',
    producers: [OrderAnalytics],
    consumers: [OrderAnalytics],
    summary: "Wall-clock ticks that close the processor's windows while no orders flow.",
  },
};

function withMessages<T extends CommandTopic | EventTopic>(
  declared: Record<T, Omit<Declared, 'message'>>,
): Record<T, Declared> {
  return Object.fromEntries(
    Object.entries<Omit<Declared, 'message'>>(declared).map(([topic, entry]) => [
      topic,
      { ...entry, message: messageClasses[topic as T] },
    ]),
  ) as Record<T, Declared>;
}

function groupOf(participant: Participant, topic: string, kind: TopicKind): ConsumerGroup {
  if (kind === 'reply') return replyGroupOf(participant as NestApp);
  if (kind === 'request') return requestGroups[participant as NestApp] ?? consumerGroups[participant];
  return consumerGroups[participant];
}

function declare(topic: string, declared: Declared, of?: string): TopicDeclaration {
  const groups = declared.consumers.map((consumer) => groupOf(consumer, topic, declared.kind));
  return { topic, ...declared, groups, ...(of ? { of } : {}) };
}

function replyOf(topic: string, request: Declared): TopicDeclaration {
  const reply: Declared = {
    kind: 'reply',
    message: null,
    key: 'none',
    producers: request.consumers,
    consumers: request.producers,
    summary: `The answer to ${topic}, on the partition the caller named.`,
  };
  return declare(replyTopicOf(topic as RequestTopic), reply, topic);
}

/**
 * A consumer that cannot handle a message parks it on `<topic>.dlq`; the dead-letter tool reads it and
 * may replay it onto the original topic. Stream inputs the processor cannot parse are skipped and
 * logged there, not dead-lettered, so only the Nest apps count.
 */
function deadLetterOf(declaration: TopicDeclaration): TopicDeclaration {
  const parkers = declaration.consumers.filter((consumer): consumer is NestApp =>
    (nestApps as readonly string[]).includes(consumer),
  );
  const deadLetter: Declared = {
    kind: 'dead-letter',
    message: declaration.message,
    key: declaration.key,
    producers: parkers,
    consumers: [DeadLetterTool],
    summary: `Messages of ${declaration.topic} that could not be handled, with the reason in headers.`,
  };
  return declare(deadLetterTopicOf(declaration.topic as CommandTopic), deadLetter, declaration.topic);
}

const sourceTopics: TopicDeclaration[] = [
  ...Object.entries(requests).map(([topic, declared]) => declare(topic, declared)),
  ...Object.entries(withMessages(commands)).map(([topic, declared]) => declare(topic, declared)),
  ...Object.entries(withMessages(events)).map(([topic, declared]) => declare(topic, declared)),
  ...Object.entries(streamResults).map(([topic, declared]) => declare(topic, declared)),
  ...Object.entries(streamInternal).map(([topic, declared]) => declare(topic, declared)),
];

/** Topics whose consumers park what they cannot handle: the ones Nest apps read with the dead-letter interceptor. */
function hasDeadLetters(declaration: TopicDeclaration): boolean {
  return ['request', 'command', 'event', 'stream-result'].includes(declaration.kind);
}

/**
 * The dead-letter tool replays a dead letter onto its original topic, so it may produce to every
 * topic that has one; it is declared here rather than on each entry above.
 */
function withReplay(declaration: TopicDeclaration): TopicDeclaration {
  if (!hasDeadLetters(declaration)) return declaration;
  return { ...declaration, producers: [...declaration.producers, DeadLetterTool] };
}

/** Every topic of the system, with who produces and who consumes it. */
export const topicDeclarations: readonly TopicDeclaration[] = [
  ...sourceTopics.map(withReplay),
  ...sourceTopics.filter((declaration) => declaration.kind === 'request').map((d) => replyOf(d.topic, d)),
  ...sourceTopics.filter(hasDeadLetters).map(deadLetterOf),
];

const byTopic = new Map(topicDeclarations.map((declaration) => [declaration.topic, declaration]));

export function declarationOf(topic: string): TopicDeclaration | undefined {
  return byTopic.get(topic);
}

export function producedBy(participant: Participant): TopicDeclaration[] {
  return topicDeclarations.filter((declaration) => declaration.producers.includes(participant));
}

export function consumedBy(participant: Participant): TopicDeclaration[] {
  return topicDeclarations.filter((declaration) => declaration.consumers.includes(participant));
}
