import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { createCustomer, createProduct, placeOrder } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';

// Debian's Chromium: playwright-core downloads no browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = resolve(__dirname, '../../.data');

describe('the live dashboard in a real browser', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  let browser: Browser;

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
    await system.close();
  });

  it('asks a customer who signed in for an operator, and shows no data', async () => {
    const page = await browser.newPage();
    const { gatewayUrl, issuerUrl } = system.environment;
    await page.goto(`${gatewayUrl}/dashboard`);
    await page.waitForURL(`${issuerUrl}/interaction/**`, { timeout: 10_000 });
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-dev-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${gatewayUrl}/dashboard`), { timeout: 10_000 });
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
    // An operator signs in on the provider's own page (authorization code with PKCE) and is sent back.
    await page.goto(`${gatewayUrl}/dashboard`);
    await page.waitForURL(`${issuerUrl}/interaction/**`, { timeout: 10_000 });
    await page.getByLabel('Username').fill('olivia');
    await page.getByLabel('Password').fill('olivia-dev-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${gatewayUrl}/dashboard`), { timeout: 10_000 });
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
    // Evaluated in the page (strings: this project's TypeScript has no DOM types).
    const expected = revenueBefore + 3 * 4_200;
    await page.waitForFunction(`Number(document.body.dataset.revenueCents) >= ${expected}`, undefined, {
      timeout: 5_000,
    });
    const chartTotal = await page.evaluate<number>(
      'orderflowDashboard.revenueChart.data.datasets[0].data.reduce((sum, value) => sum + value, 0)',
    );
    expect(Math.round(chartTotal * 100)).toBeGreaterThanOrEqual(expected);
    await page.locator('#services tr').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#services').textContent()).toContain('orders');

    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'dashboard.png'), fullPage: true });
    expect(offline).toEqual([]);
  });
});
