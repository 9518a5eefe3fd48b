import { dashboardPage } from './dashboard-page';

describe('the dashboard page', () => {
  it('holds scripts that parse (the page is a template literal, where an escape is easily lost)', () => {
    const scripts = [...dashboardPage.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map(
      (match) => match[1] ?? '',
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      // A module's imports stand in as plain bindings, its body in an async function (top-level await).
      const body = script.replace(/^import \* as (\w+) from '[^']+';$/gm, 'const $1 = {};');
      expect(() => new Function(`return (async () => {\n${body}\n})`)).not.toThrow();
    }
  });
});
