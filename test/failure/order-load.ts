import { randomUUID } from 'node:crypto';
import type { Credentials } from '../support/http';
import { ClientRetries } from './client-retries';
import { persistently } from './persistent-client';
import { SeededRandom } from './seeded-random';

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
}

export interface Customer {
  id: string;
  name: string;
  openingBalanceCents: number;
}

/** What the load created before the first order: the invariants are checked against it. */
export interface Catalogue {
  products: Product[];
  customers: Customer[];
}

export interface PlacedOrder {
  id: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  cancelRequested: boolean;
}

/** Where the load reaches the gateway: a function, since a restarted gateway may listen elsewhere. */
export interface GatewayClient {
  gatewayUrl: () => string;
  credentials: Credentials;
}

export interface OrderLoadResult {
  placed: PlacedOrder[];
  /** Requests the persistent client repeated (network errors and 5xx). */
  clientRetries: number;
  /** The same retries by cause, with any 5xx the API does not document. */
  retries: ClientRetries;
  durationMs: number;
}

interface OrderPlan {
  customerId: string;
  items: { sku: string; quantity: number }[];
  cancel: boolean;
  pauseMs: number;
}

/**
 * The names carry the run's id, so a 409 can only mean that an earlier attempt of this very request
 * took effect although its answer was lost (a 504 "may still take effect", a killed gateway).
 */
const createdOrAlreadyThere = (status: number): boolean => status === 201 || status === 409;

/**
 * Stock for about half of the demand, a few customers who cannot pay: every outcome happens.
 * Names carry `runId`, so runs on a shared database never meet.
 */
export async function createCatalogue(gateway: GatewayClient, runId: string): Promise<Catalogue> {
  const products = await Promise.all(
    Array.from({ length: 6 }, async (_, index) => {
      const sku = `FAULT-${runId}-${index}`.toUpperCase();
      const product = { sku, name: `Product ${index}`, priceCents: 100 * (index + 1), stock: 40 };
      await persistently(
        `${gateway.gatewayUrl()}/products`,
        { method: 'POST', body: product, credentials: gateway.credentials },
        createdOrAlreadyThere,
      );
      return product;
    }),
  );
  const customers = await Promise.all(
    Array.from({ length: 24 }, async (_, index) => {
      const openingBalanceCents = index % 6 === 0 ? 500 : 1_000_000;
      const customer = { id: `fault-${runId}-${index}`, name: `Customer ${index}`, openingBalanceCents };
      await persistently(
        `${gateway.gatewayUrl()}/customers`,
        { method: 'POST', body: customer, credentials: gateway.credentials },
        createdOrAlreadyThere,
      );
      return customer;
    }),
  );
  return { products, customers };
}

/**
 * A mixed load of orders through the gateway, some of them cancelled by the customer, each request
 * retried by the persistent client (same Idempotency-Key) through faults. The plans are drawn from a
 * generator forked from `random`, so a seed replays the same orders.
 */
export class OrderLoad {
  /** Its own generator: however many orders a run takes, the faults drawn from `random` stay the seed's. */
  private readonly planRandom: SeededRandom;

  constructor(
    private readonly gateway: GatewayClient,
    private readonly catalogue: Catalogue,
    random: SeededRandom,
    /** At least this many orders are placed. */
    private readonly orders: number,
    /** How long one request is retried before the load fails; faults back to back can take minutes. */
    private readonly requestDeadlineMs = 120_000,
  ) {
    this.planRandom = new SeededRandom(random.between(0, 2 ** 31 - 1));
  }

  /**
   * Places orders with `workers` concurrent clients until at least `orders` are placed and
   * `keepLoading()` says no more (e.g. once the faults are over). There is no fixed number of plans:
   * a fixed number ran out before the last fault on a fast machine, which then took no orders.
   */
  async run(keepLoading: () => boolean, workers = 6): Promise<OrderLoadResult> {
    const placed: PlacedOrder[] = [];
    const retries = new ClientRetries();
    const { gatewayUrl, credentials } = this.gateway;

    const worker = async (): Promise<void> => {
      while (placed.length < this.orders || keepLoading()) {
        const plan = this.nextPlan();
        const idempotencyKey = randomUUID();
        const body = { customerId: plan.customerId, items: plan.items };
        const accepted = await persistently<{ id: string }>(
          `${gatewayUrl()}/orders`,
          { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey }, credentials },
          (status) => status === 202,
          this.requestDeadlineMs,
        );
        retries.add('POST /orders', accepted.retryLog);
        placed.push({ id: accepted.body.id, ...body, cancelRequested: plan.cancel });
        if (plan.cancel) {
          const cancelled = await persistently(
            `${gatewayUrl()}/orders/${accepted.body.id}/cancel`,
            { method: 'POST', credentials },
            (status) => status === 202 || status === 200 || status === 409,
            this.requestDeadlineMs,
          );
          retries.add(`POST /orders/${accepted.body.id}/cancel`, cancelled.retryLog);
        }
        await new Promise((wake) => setTimeout(wake, plan.pauseMs));
      }
    };

    const started = Date.now();
    await Promise.all(Array.from({ length: workers }, () => worker()));
    return { placed, clientRetries: retries.total, retries, durationMs: Date.now() - started };
  }

  /** Drawn in the order the workers ask for them (synchronously, so the sequence is the seed's). */
  private nextPlan(): OrderPlan {
    const random = this.planRandom;
    return {
      customerId: random.pick(this.catalogue.customers).id,
      items: random
        .shuffle(this.catalogue.products)
        .slice(0, random.between(1, 2))
        .map((product) => ({ sku: product.sku, quantity: random.between(1, 3) })),
      cancel: random.next() < 0.15,
      pauseMs: random.between(50, 400),
    };
  }
}
