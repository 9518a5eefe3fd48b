import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Topics } from '@orderflow/contracts';
import { Browser, chromium, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, orderReaching, placeOrder } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';

// Debian's Chromium: playwright-core downloads no browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Kept after the run (.data is not committed): what the page looked like at each width.
const screenshotDir = resolve(__dirname, '../../.data/e2e-artefacts');
const outcomes = ['created', 'confirmed', 'cancelled'] as const;
type Totals = Record<(typeof outcomes)[number], number>;

/** An operator signs in on the provider's own page (authorization code with PKCE) and is sent back. */
async function signInAs(page: Page, user: 'olivia' | 'alice', urls: { gatewayUrl: string; issuerUrl: string }) {
  await page.goto(`${urls.gatewayUrl}/dashboard`);
  await page.waitForURL(`${urls.issuerUrl}/interaction/**`, { timeout: 10_000 });
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(`${user}-dev-password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${urls.gatewayUrl}/dashboard`), { timeout: 10_000 });
}

/** Where the last orders' total cell of one order sits, against its card and the window. */
interface OrderRowLayout {
  totalRight: number;
  cardRight: number;
  totalFitsItsText: boolean;
  pageFitsWindow: boolean;
}

/** The totals as a person reads them on the page. */
async function visibleTotals(page: Page): Promise<Totals> {
  const totals = {} as Totals;
  for (const outcome of outcomes) totals[outcome] = Number(await page.locator(`#total-${outcome}`).textContent());
  return totals;
}

describe('the live dashboard in a real browser', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  let browser: Browser;
  // A consumer group named as long as the dashboard may have to list (a second audit's request group):
  // listed in every layout below, whichever other suites ran before on this broker.
  const longGroup = `audit-${randomUUID()}-requests-server`;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    const admin = system.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([longGroup]).catch(() => undefined);
    await admin.disconnect();
    await system.close();
  });

  it('asks a customer who signed in for an operator, and shows no data', async () => {
    const page = await browser.newPage();
    await signInAs(page, 'alice', system.environment);
    await page.locator('#connection', { hasText: 'sign-in needed (an operator)' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#orders tr').count()).toBe(0);
    await page.close();
  });

  it('shows new orders and their status changes within 2 s, and the revenue chart grows', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const offline: string[] = [];
    // The gateway and, for the sign-in only, the identity provider: nothing else.
    const { gatewayUrl, issuerUrl } = system.environment;
    page.on('request', (request) => {
      if (!request.url().startsWith(gatewayUrl) && !request.url().startsWith(issuerUrl)) offline.push(request.url());
    });
    // The page runs under its Content-Security-Policy: anything it refuses is reported on the console.
    const refusedByPolicy: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusedByPolicy.push(message.text());
    });
    await signInAs(page, 'olivia', system.environment);
    await page.locator('#connection.live').waitFor({ timeout: 10_000 });
    const revenueBefore = Number((await page.locator('body').getAttribute('data-revenue-cents')) ?? '0');

    const customer = await createCustomer(http, 1_000_000);
    const product = await createProduct(http, { stock: 100, priceCents: 4_200 });
    const orders = [];
    for (let index = 0; index < 3; index++) {
      const placedAt = Date.now();
      const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] });
      const row = page.locator('#orders tr', { has: page.locator(`td[title="${id}"]`) });
      await row.waitFor({ timeout: 2_000 });
      await row.locator('.status.CONFIRMED').waitFor({ timeout: 2_000 });
      orders.push({ id, seenConfirmedAfterMs: Date.now() - placedAt });
    }
    expect(orders).toHaveLength(3);
    for (const order of orders) expect(order.seenConfirmedAfterMs).toBeLessThan(4_000);

    // The revenue chart holds the three confirmed orders (3 x 42.00) on top of what it showed before.
    // Read from outside the page: its Content-Security-Policy refuses the eval of a string predicate.
    const expected = revenueBefore + 3 * 4_200;
    await eventually(
      async () => {
        const revenue = Number(await page.locator('body').getAttribute('data-revenue-cents'));
        expect(revenue).toBeGreaterThanOrEqual(expected);
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    // Evaluated in the page by the DevTools protocol, which the policy does not govern (a string: this
    // project's TypeScript has no DOM types).
    const chartTotal = await page.evaluate<number>(
      'orderflowDashboard.revenueChart.data.datasets[0].data.reduce((sum, value) => sum + value, 0)',
    );
    expect(Math.round(chartTotal * 100)).toBeGreaterThanOrEqual(expected);
    await page.locator('#services tr').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#services').textContent()).toContain('orders');

    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'dashboard.png'), fullPage: true });
    expect(offline).toEqual([]);
    expect(refusedByPolicy).toEqual([]);
  });

  it('shows as many created, confirmed and cancelled orders as were placed, in its figures and its chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(page, 'olivia', system.environment);
    await page.locator('#connection.live').waitFor({ timeout: 10_000 });
    // The first snapshot (sent on connecting) has been drawn once the page says when it was updated.
    // (Read from outside the page: its Content-Security-Policy refuses the eval of a string predicate.)
    await eventually(async () => expect(await page.locator('#updated').textContent()).not.toBe(''), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    const before = await visibleTotals(page);
    const startedAt = Date.now();

    const rich = await createCustomer(http, 1_000_000);
    const poor = await createCustomer(http, 100);
    const product = await createProduct(http, { stock: 100, priceCents: 2_500 });
    const placed = await Promise.all([
      ...[1, 2, 3].map(() => placeOrder(http, { customerId: rich.id, items: [{ sku: product.sku, quantity: 1 }] })),
      placeOrder(http, { customerId: poor.id, items: [{ sku: product.sku, quantity: 1 }] }),
    ]);
    const outcomesOfPlaced = await Promise.all(placed.map(({ id }) => orderReaching(http, id)));
    expect(outcomesOfPlaced.map((order) => order.status).sort()).toEqual([
      'CANCELLED',
      'CONFIRMED',
      'CONFIRMED',
      'CONFIRMED',
    ]);

    const expected: Totals = { created: 4, confirmed: 3, cancelled: 1 };
    await eventually(
      async () => {
        const after = await visibleTotals(page);
        expect({
          created: after.created - before.created,
          confirmed: after.confirmed - before.confirmed,
          cancelled: after.cancelled - before.cancelled,
        }).toEqual(expected);
      },
      { timeoutMs: 5_000, intervalMs: 250 },
    );
    // The chart's per-second series hold them too, over the seconds since the test began placing.
    const seconds = Math.ceil((Date.now() - startedAt) / 1000) + 1;
    const charted = await page.evaluate<Totals>(
      `(() => { const sets = orderflowDashboard.ratesChart.data.datasets;
         const sum = (index) => sets[index].data.slice(-${seconds}).reduce((total, value) => total + value, 0);
         return { created: sum(0), confirmed: sum(1), cancelled: sum(2) }; })()`,
    );
    expect(charted.created).toBeGreaterThanOrEqual(expected.created);
    expect(charted.confirmed).toBeGreaterThanOrEqual(expected.confirmed);
    expect(charted.cancelled).toBeGreaterThanOrEqual(expected.cancelled);
  });

  it.each([
    { width: 1400, height: 900 },
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ])('fits a $width px wide window: the last orders show their totals, nothing scrolls sideways', async (viewport) => {
    const admin = system.kafka.admin();
    await admin.connect();
    // Committed offsets make the group exist, empty, without a member.
    await admin.setOffsets({
      groupId: longGroup,
      topic: Topics.OrderCreated,
      partitions: [{ partition: 0, offset: '0' }],
    });
    await admin.disconnect();
    const customer = await createCustomer(http, 1_000_000);
    const product = await createProduct(http, { stock: 10, priceCents: 123_456 });
    const page = await browser.newPage({ viewport });
    await signInAs(page, 'olivia', system.environment);
    await page.locator('#connection.live').waitFor({ timeout: 10_000 });
    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] });
    const row = page.locator('#orders tr', { has: page.locator(`td[title="${id}"]`) });
    await row.locator('.status.CONFIRMED').waitFor({ timeout: 10_000 });
    await eventually(async () => expect(await row.locator('td').nth(3).textContent()).toMatch(/1,234\.56/));
    // The services are read every few seconds.
    await page.locator('#services td', { hasText: longGroup }).waitFor({ timeout: 15_000 });

    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `dashboard-${viewport.width}.png`), fullPage: true });
    // Measured in one evaluation: the page draws its rows anew every second, so an element found in
    // one step may be gone by the next (a string: this project's TypeScript has no DOM types).
    const layout = await page.evaluate<OrderRowLayout | null>(`(() => {
      const total = document.querySelector('#orders td[title=${JSON.stringify(id)}]')?.parentElement?.children[3];
      const card = document.getElementById('orders')?.closest('section');
      if (!total || !card) return null;
      return {
        totalRight: total.getBoundingClientRect().right,
        cardRight: card.getBoundingClientRect().right,
        totalFitsItsText: total.scrollWidth <= total.clientWidth,
        pageFitsWindow: document.documentElement.scrollWidth <= window.innerWidth,
      };
    })()`);
    expect(layout).not.toBeNull();
    expect(layout!.totalRight).toBeLessThanOrEqual(layout!.cardRight);
    expect(layout!.totalRight).toBeLessThanOrEqual(viewport.width);
    // The amount is not cut: the cell is wide enough for its text.
    expect(layout!.totalFitsItsText).toBe(true);
    expect(layout!.pageFitsWindow).toBe(true);

    await page.close();
  });
});
