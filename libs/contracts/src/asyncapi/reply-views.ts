import { JsonSchema } from '../schema/json-schemas';
import { RequestTopic, Topics } from '../topics';

const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/**
 * What a request handler answers with. Most views are TypeScript interfaces without a class to derive a
 * schema from, so they are named, not described field by field; the analytics views are contract
 * classes (or lists of them) and get their exact schema. Exhaustive: a new request topic needs its view.
 */
export const replyViews: Record<RequestTopic, JsonSchema> = {
  [Topics.OrdersCreate]: view('OrderAccepted', 'orders.messages.ts'),
  [Topics.OrdersGet]: view('OrderView', 'orders.messages.ts'),
  [Topics.OrdersList]: page('OrderView', 'orders.messages.ts'),
  [Topics.OrdersCancel]: view('OrderAccepted', 'orders.messages.ts'),
  [Topics.ProductsCreate]: view('ProductView', 'inventory.messages.ts'),
  [Topics.ProductsGet]: view('ProductView', 'inventory.messages.ts'),
  [Topics.ProductsList]: page('ProductView', 'inventory.messages.ts'),
  [Topics.ProductsRestock]: view('ProductView', 'inventory.messages.ts'),
  [Topics.CustomersCreate]: view('CustomerView', 'payments.messages.ts'),
  [Topics.CustomersGet]: view('CustomerView', 'payments.messages.ts'),
  [Topics.NotificationsList]: page('NotificationView', 'notifications.messages.ts'),
  [Topics.AnalyticsSkuSales]: items('SkuSalesView', 'SkuWindowSales'),
  [Topics.AnalyticsTopSkus]: { ...schemaRef('TopSkus'), description: 'TopSkusView: the TopSkus of the window.' },
  [Topics.AnalyticsCustomerTotals]: { ...schemaRef('CustomerTotals'), description: 'CustomerTotalsView.' },
  [Topics.AnalyticsCancellations]: items('CancellationsView', 'CancellationCount'),
  [Topics.AuditList]: page('AuditEventView', 'audit.messages.ts'),
  [Topics.AuditTimeline]: view('OrderTimeline', 'audit.messages.ts'),
  [Topics.SearchOrders]: {
    ...page('OrderSearchHit', 'search.messages.ts'),
    description:
      'OrderSearchResult (libs/contracts/src/search.messages.ts): a Page<OrderSearchHit> with total and statusCounts.',
  },
};

function view(name: string, file: string): JsonSchema {
  return { type: 'object', description: `${name} (libs/contracts/src/${file}).` };
}

/** `Page<Item>` of common.ts. */
function page(item: string, file: string): JsonSchema {
  return {
    type: 'object',
    description: `Page<${item}> (libs/contracts/src/common.ts, ${file}).`,
    properties: {
      items: { type: 'array', items: view(item, file) },
      nextCursor: {
        type: ['string', 'null'],
        description: 'The cursor of the next page; null on the last.',
      },
    },
    required: ['items', 'nextCursor'],
  };
}

function items(name: string, item: string): JsonSchema {
  return {
    type: 'object',
    description: `${name} (libs/contracts/src/analytics.messages.ts).`,
    properties: { items: { type: 'array', items: schemaRef(item) } },
    required: ['items'],
  };
}
