import { Controller, Get, Header, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setUpSecurityHeaders } from './security-headers';

@Controller()
class ProbeController {
  @Get('data')
  data(): { ok: boolean } {
    return { ok: true };
  }

  @Get('own-policy')
  @Header('content-security-policy', "default-src 'none'")
  ownPolicy(): string {
    return 'page';
  }
}

describe('setUpSecurityHeaders', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    setUpSecurityHeaders(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  it('sends the security headers on every answer, a 404 included, and hides the framework', async () => {
    for (const path of ['/data', '/missing']) {
      const { headers } = await fetch(`${base}${path}`);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(headers.get('x-powered-by')).toBeNull();
      const policy = headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('upgrade-insecure-requests');
    }
  });

  it('lets a page send its own Content-Security-Policy instead', async () => {
    const { headers } = await fetch(`${base}/own-policy`);
    expect(headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
  });
});
