import { dashboardPage } from './dashboard-page';

describe('the dashboard page', () => {
  it('holds scripts that parse (the page is a template literal, where an escape is easily lost)', () => {
    const scripts = [...dashboardPage.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(() => new Function(script)).not.toThrow();
  });
});
