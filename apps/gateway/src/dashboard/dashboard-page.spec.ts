import { createHash } from 'node:crypto';
import { dashboardPage, dashboardPageCsp, inlineScripts } from './dashboard-page';

const scripts = [...dashboardPage.matchAll(inlineScripts)].map((match) => match[1] ?? '');

describe('the dashboard page', () => {
  it('holds scripts that parse (the page is a template literal, where an escape is easily lost)', () => {
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      // A module's imports stand in as plain bindings, its body in an async function (top-level await).
      const body = script.replace(/^import \* as (\w+) from '[^']+';$/gm, 'const $1 = {};');
      expect(() => new Function(`return (async () => {\n${body}\n})`)).not.toThrow();
    }
  });

  it("allows the page's inline scripts by their hashes, no other inline script, and the issuer for sign-in", () => {
    const policy = dashboardPageCsp('https://login.example.com');
    const hashes = scripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(policy).toContain(`script-src 'self' ${hashes.join(' ')};`);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).toContain("connect-src 'self' https://login.example.com;");
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
