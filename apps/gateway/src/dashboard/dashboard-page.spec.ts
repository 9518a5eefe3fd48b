import { createHash } from 'node:crypto';
import { DASHBOARD_PAGE_CSP, dashboardPage } from './dashboard-page';

describe('the dashboard page policy', () => {
  it("allows the page's inline script by its hash, and no inline script of anyone else", () => {
    const scripts = [...dashboardPage.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(([, script]) => script);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]).digest('base64');
    expect(DASHBOARD_PAGE_CSP).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(DASHBOARD_PAGE_CSP).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(DASHBOARD_PAGE_CSP).toContain("frame-ancestors 'none'");
  });
});
