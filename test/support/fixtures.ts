import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { CustomerView, OrderAccepted, OrderStatus, OrderView, ProductView } from '@orderflow/contracts';
import { eventually } from './eventually';
import { Http } from './http';

/** Unique per call, so that suites sharing one system never see each other's data. */
export function uniqueSku(prefix = 'SKU'): string {
  return `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;
}

export async function createProduct(
  http: Http,
  product: { stock: number; priceCents: number; name?: string; sku?: string },
): Promise<ProductView> {
  const sku = product.sku ?? uniqueSku();
  const response = await http.post<ProductView>('/products', { name: `Product ${sku}`, ...product, sku });
  expect(response.status).toBe(201);
  return response.body;
}

export async function createCustomer(http: Http, openingBalanceCents: number): Promise<CustomerView> {
  const response = await http.post<CustomerView>('/customers', { name: 'Test Customer', openingBalanceCents });
  expect(response.status).toBe(201);
  return response.body;
}

export async function placeOrder(
  http: Http,
  order: { customerId: string; items: { sku: string; quantity: number }[] },
  headers: Record<string, string> = {},
): Promise<OrderAccepted> {
  const response = await http.post<OrderAccepted>('/orders', order, headers);
  expect(response.status).toBe(202);
  return response.body;
}

export const terminalStatuses: OrderStatus[] = ['CONFIRMED', 'CANCELLED'];

/** Reads the order until it reaches one of `statuses`. */
export function orderReaching(http: Http, id: string, statuses: OrderStatus[] = terminalStatuses): Promise<OrderView> {
  return eventually(async () => {
    const response = await http.get<OrderView>(`/orders/${id}`);
    expect(response.status).toBe(200);
    expect(statuses).toContain(response.body.status);
    return response.body;
  });
}

export async function stockOf(http: Http, sku: string): Promise<number> {
  const response = await http.get<ProductView>(`/products/${sku}`);
  expect(response.status).toBe(200);
  return response.body.stock;
}

export async function balanceOf(http: Http, customerId: string): Promise<number> {
  const response = await http.get<CustomerView>(`/customers/${customerId}`);
  expect(response.status).toBe(200);
  return response.body.balanceCents;
}

/** An Orderflow envelope as a service would publish it, for suites that send what another service would. */
export function envelope(type: string, aggregateId: string, aggregateVersion: number, payload: object) {
  return {
    eventId: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    correlationId: `e2e-${randomUUID()}`,
    aggregateId,
    aggregateVersion,
    payload,
  };
}
