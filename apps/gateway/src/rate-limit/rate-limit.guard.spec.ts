import { Controller, Get, INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ServiceConfigModule } from '@orderflow/config';
import { z } from 'zod';
import { Principal } from '../auth/principal';
import { HttpErrorFilter } from '../http/http-error.filter';
import { RateLimitModule } from './rate-limit.module';

@Controller()
class ProbeController {
  @Get('a')
  a(): string {
    return 'a';
  }

  @Get('b')
  b(): string {
    return 'b';
  }

  @Get('health/ready')
  ready(): string {
    return 'ready';
  }
}

const LIMIT = 3;

describe('RateLimitModule', () => {
  const original = { ...process.env };
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = String(LIMIT);
    const schema = z.object({ RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive() });
    const moduleRef = await Test.createTestingModule({
      imports: [ServiceConfigModule.forRoot(schema), RateLimitModule],
      controllers: [ProbeController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // Stands in for the bearer-token guard: the caller named by a test header is the principal.
    app.use(
      (request: { principal?: Principal; headers: Record<string, string> }, _response: unknown, next: () => void) => {
        const subject = request.headers['x-test-subject'];
        if (subject) request.principal = { subject, issuer: 'test', kind: 'customer', roles: [], scopes: [] };
        next();
      },
    );
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    process.env = original;
  });

  const get = (path: string, subject?: string) =>
    fetch(`${base}${path}`, { headers: subject ? { 'x-test-subject': subject } : {} });

  it('answers 429 with Retry-After once a principal spent its budget, on any route, in the house error body', async () => {
    for (let index = 0; index < LIMIT; index++) expect((await get(index % 2 ? '/a' : '/b', 'alice')).status).toBe(200);
    const refused = await get('/a', 'alice');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'too many requests: retry after the number of seconds in Retry-After',
    });
  });

  it("does not limit another principal for the first one's traffic, nor the probes", async () => {
    expect((await get('/a', 'bob')).status).toBe(200);
    for (let index = 0; index < LIMIT + 2; index++) expect((await get('/health/ready', 'alice')).status).toBe(200);
    expect((await get('/a', 'alice')).status).toBe(429);
  });
});
