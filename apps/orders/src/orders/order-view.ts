import { OrderView } from '@orderflow/contracts';
import { OrderEntity } from './order.entity';

export function toOrderView(order: OrderEntity): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    cancelReason: order.cancelReason,
    totalCents: order.totalCents,
    lines: (order.lines ?? []).map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    history: (order.history ?? []).map(({ status, reason, at }) => ({ status, reason, at: at.toISOString() })),
    correlationId: order.correlationId,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
