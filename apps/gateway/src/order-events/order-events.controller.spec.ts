import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { OrderStatusChangedMessage, Topics } from '@orderflow/contracts';
import { KafkaConnection, RequestClient } from '@orderflow/messaging';
import { DashboardService } from '../dashboard/dashboard.service';
import { GatewayAppModule } from '../gateway-app.module';
import { OrderStatusWaiters } from '../orders/order-status-waiters';
import { OrdersService } from '../orders/orders.service';
import { OrderEventsController } from './order-events.controller';

// @nestjs/typeorm is an ES module that Jest cannot require on Node 20 (import.meta); only its decorators are used here.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
  TypeOrmModule: { forRootAsync: () => ({}), forFeature: () => ({}) },
}));

/** A controller class, its handlers on its prototype. */
type ControllerClass = { prototype: Record<string, unknown> };

/** Every controller class of a module and of the modules it imports. */
function controllersOf(module: unknown, seen = new Set<unknown>()): ControllerClass[] {
  const moduleClass = (module as { module?: unknown }).module ?? module;
  if (!moduleClass || seen.has(module)) return [];
  seen.add(module);
  const own = [
    ...((Reflect.getMetadata('controllers', moduleClass as object) as ControllerClass[] | undefined) ?? []),
    ...((module as { controllers?: ControllerClass[] }).controllers ?? []),
  ];
  const imports = [
    ...((Reflect.getMetadata('imports', moduleClass as object) as unknown[] | undefined) ?? []),
    ...((module as { imports?: unknown[] }).imports ?? []),
  ];
  return [...own, ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

describe('OrderEventsController', () => {
  it('is the only handler of each order event in the gateway, so that each message is validated once', () => {
    const handlers = new Map<string, number>();
    for (const controller of new Set(controllersOf(GatewayAppModule))) {
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const patterns = Reflect.getMetadata(PATTERN_METADATA, controller.prototype[name] as object) as
          unknown[] | undefined;
        for (const pattern of patterns ?? []) handlers.set(String(pattern), (handlers.get(String(pattern)) ?? 0) + 1);
      }
    }
    expect(handlers).toEqual(
      new Map([
        [Topics.OrderCreated, 1],
        [Topics.OrderStatusChanged, 1],
        [Topics.OrderConfirmed, 1],
      ]),
    );
  });

  it('wakes the requests waiting for a status and updates the dashboard from one status change', async () => {
    const waiters = new OrderStatusWaiters();
    const orders = new OrdersService({} as RequestClient, waiters);
    const dashboard = new DashboardService({} as KafkaConnection, {} as RequestClient);
    const shown = jest.spyOn(dashboard, 'statusChanged');
    const waiting = waiters.wait('o-1', ['CONFIRMED'], 60_000);
    const message = {
      occurredAt: '2026-12-03T10:00:00.000Z',
      payload: { orderId: 'o-1', customerId: 'alice', status: 'CONFIRMED' },
    } as OrderStatusChangedMessage;
    new OrderEventsController(orders, dashboard).onStatusChanged(message);
    await expect(waiting.settled).resolves.toBe('reached');
    expect(shown).toHaveBeenCalledWith(message);
  });
});
