import { Controller, Get, Module, Post } from '@nestjs/common';
import { GatewayAppModule } from '../gateway-app.module';
import { Allow, Public } from './access-rules';
import { routeAccessOf } from './route-access';

/** Deny by default: a new route must say who may use it, or this spec fails (and the guard refuses it). */
describe("the gateway's routes and who may use them", () => {
  const routes = routeAccessOf(GatewayAppModule);
  const accessOf = (method: number, path: string) =>
    routes.find((route) => route.method === method && route.path === path)?.access;
  const GET = 0;
  const POST = 1;

  it('finds the routes of every feature module, library controllers included', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/orders', '/products/:sku/restock', '/health/ready', '/dashboard/events']),
    );
  });

  it('declares access on every route', () => {
    const undeclared = routes.filter((route) => route.access === 'undeclared');
    expect(undeclared.map((route) => `${route.controller}.${route.handler}`)).toEqual([]);
  });

  it('keeps the probes, the API documents and the dashboard page open, and nothing else', () => {
    const open = routes.filter((route) => route.access === 'public').map((route) => route.path);
    expect(open.sort()).toEqual(
      [
        '/asyncapi',
        '/asyncapi.json',
        '/dashboard',
        '/dashboard/chart.js',
        '/dashboard/oauth4webapi.js',
        '/dashboard/sign-in.json',
        '/health/live',
        '/health/ready',
      ].sort(),
    );
  });

  it('gives products and stock to operators, orders to customers, the operations views to operators', () => {
    expect(accessOf(POST, '/products')).toEqual({ roles: ['operator'], scopes: ['products:write'] });
    expect(accessOf(POST, '/orders')).toEqual({ roles: ['customer'], scopes: ['orders:write'] });
    expect(accessOf(GET, '/orders/:orderId')).toEqual({ roles: ['customer', 'operator'], scopes: ['orders:read'] });
    expect(accessOf(GET, '/audit')).toEqual({ roles: ['operator'], scopes: ['audit:read'] });
    expect(accessOf(GET, '/search/orders')).toEqual({ roles: ['operator'], scopes: ['search:read'] });
    expect(accessOf(GET, '/dashboard/events')).toEqual({ roles: ['operator'], scopes: [] });
  });

  it('reports a route that declares nothing', () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      list(): string[] {
        return [];
      }

      @Post()
      @Allow(['operator'])
      create(): void {}
    }
    @Public()
    @Controller('open')
    class OpenController {
      @Get()
      read(): string {
        return 'ok';
      }
    }
    @Module({ controllers: [ForgottenController, OpenController] })
    class SomeModule {}

    expect(routeAccessOf(SomeModule).map(({ handler, access }) => [handler, access])).toEqual([
      ['list', 'undeclared'],
      ['create', { roles: ['operator'], scopes: [] }],
      ['read', 'public'],
    ]);
  });
});
