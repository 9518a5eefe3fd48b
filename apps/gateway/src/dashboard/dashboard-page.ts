import { createHash } from 'node:crypto';

/**
 * The dashboard: one server-rendered page with Chart.js (served from node_modules at
 * /dashboard/chart.js) that listens to /dashboard/events (Server-Sent Events) with an operator's
 * bearer token, got by signing in at the issuer (authorization code with PKCE, oauth4webapi served at
 * /dashboard/oauth4webapi.js). Nothing is polled and no script is loaded from outside the gateway.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Orderflow: live</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f8; }
  body { margin: 0; padding: 16px 24px; }
  h1 { font-size: 20px; margin: 0 0 12px; display: flex; gap: 12px; align-items: baseline; }
  h1 small { font-size: 12px; font-weight: normal; color: #6b7280; }
  h2 { font-size: 14px; margin: 0 0 8px; color: #374151; text-transform: uppercase; letter-spacing: .04em; }
  body { max-width: 1600px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, max(420px, calc(50% - 8px))), 1fr)); gap: 16px; }
  .card { min-width: 0; }
  .card { background: #fff; border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .rates { display: flex; flex-wrap: wrap; gap: 8px 24px; margin-bottom: 8px; }
  .rate small { color: #6b7280; }
  .rate b { font-size: 22px; display: block; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eef0f3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  /* Two columns at most, so the last orders keep room; they fit their card at any width: fixed columns,
     long ids cut with an ellipsis, the status wraps. */
  #orders-table { table-layout: fixed; }
  #orders-table .order { width: 17%; } #orders-table .customer { width: 21%; } #orders-table .state { width: 28%; }
  #orders-table .total { width: 19%; text-align: right; } #orders-table .at { width: 15%; }
  #orders-table td:nth-child(3) { white-space: normal; overflow-wrap: anywhere; }
  #orders-table td:nth-child(4) { text-align: right; }
  /* Names as long as "audit-late-73a9d2-requests-server" would widen an auto-sized table past a phone's
     width: fixed columns, the name cut with an ellipsis (its full text in the title). */
  .names { table-layout: fixed; } .names th:first-child { width: 56%; }
  @media (max-width: 600px) {
    body { padding: 12px; }
    #orders-table .at, #orders-table td:nth-child(5) { display: none; }
    #orders-table td, #orders-table th { padding: 4px 3px; }
    #orders-table .order { width: 20%; } #orders-table .customer { width: 20%; } #orders-table .state { width: 32%; }
    #orders-table .total { width: 28%; }
    .status { font-size: 11px; padding: 1px 4px; }
  }
  .status { font-weight: 600; font-size: 12px; padding: 1px 6px; border-radius: 4px; background: #e5e7eb; }
  .status.CONFIRMED { background: #d1fae5; color: #065f46; }
  .status.CANCELLED { background: #fee2e2; color: #991b1b; }
  .status.CANCELLING { background: #ffedd5; color: #9a3412; }
  .status.PENDING, .status.STOCK_RESERVED, .status.PAID { background: #e0e7ff; color: #3730a3; }
  .up { color: #047857; } .down { color: #b91c1c; }
  #connection.live { color: #047857; } #connection.lost { color: #b91c1c; }
  /* Chart.js sizes a responsive chart to its container: the container sets the height at every width. */
  .chart { position: relative; height: 220px; }
</style>
</head>
<body>
<h1>Orderflow <small id="connection">connecting…</small> <small id="updated"></small></h1>
<div class="grid">
  <section class="card">
    <h2>Orders per second</h2>
    <div class="rates">
      <div class="rate">created <b id="rate-created">0</b> <small><span id="total-created">0</span> in all</small></div>
      <div class="rate">confirmed <b id="rate-confirmed">0</b> <small><span id="total-confirmed">0</span> in all</small></div>
      <div class="rate">cancelled <b id="rate-cancelled">0</b> <small><span id="total-cancelled">0</span> in all</small></div>
    </div>
    <small id="totals-since"></small>
    <div class="chart"><canvas id="rates-chart"></canvas></div>
  </section>
  <section class="card">
    <h2>Revenue per minute</h2>
    <div class="chart"><canvas id="revenue-chart"></canvas></div>
  </section>
  <section class="card">
    <h2>Last orders</h2>
    <table id="orders-table"><thead><tr><th class="order">order</th><th class="customer">customer</th><th class="state">status</th><th class="total">total</th><th class="at">at</th></tr></thead>
    <tbody id="orders"></tbody></table>
  </section>
  <section class="card">
    <h2>Top SKUs <small id="top-window"></small></h2>
    <table><thead><tr><th>sku</th><th>units</th></tr></thead><tbody id="top-skus"></tbody></table>
    <h2 style="margin-top:16px">Dead letters</h2>
    <table class="names"><thead><tr><th>topic</th><th>messages</th></tr></thead><tbody id="dlq"></tbody></table>
    <h2 style="margin-top:16px">Services</h2>
    <table class="names"><thead><tr><th>consumer group</th><th>state</th><th>instances</th></tr></thead><tbody id="services"></tbody></table>
  </section>
</div>
<script src="/dashboard/chart.js"></script>
<script type="module">
import * as oauth from '/dashboard/oauth4webapi.js';

(async () => {
  const money = (cents) => (cents / 100).toLocaleString(undefined, { style: 'currency', currency: 'EUR' });
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
  const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
  const nameCell = (text) => { const td = cell(text); td.title = text; return td; };
  const rows = (id, items, toCells) => {
    const body = document.getElementById(id);
    body.replaceChildren(...items.map((item) => { const tr = document.createElement('tr'); tr.append(...toCells(item)); return tr; }));
  };
  const ratesChart = new Chart(document.getElementById('rates-chart'), {
    type: 'line',
    data: { labels: [], datasets: [
      { label: 'created', data: [], borderColor: '#6366f1', pointRadius: 0, tension: .3 },
      { label: 'confirmed', data: [], borderColor: '#10b981', pointRadius: 0, tension: .3 },
      { label: 'cancelled', data: [], borderColor: '#ef4444', pointRadius: 0, tension: .3 },
    ] },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const revenueChart = new Chart(document.getElementById('revenue-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'revenue (EUR)', data: [], backgroundColor: '#10b981' }] },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
  const orders = new Map();
  const renderOrders = () => rows('orders', [...orders.values()].slice(0, 20), (row) => {
    const status = document.createElement('span');
    status.className = 'status ' + row.status;
    status.textContent = row.status + (row.reason ? ' (' + row.reason + ')' : '');
    const statusCell = document.createElement('td');
    statusCell.append(status);
    const id = cell(row.orderId.slice(0, 8));
    id.title = row.orderId;
    const tr = [id, cell(row.customerId), statusCell, cell(row.totalCents == null ? '' : money(row.totalCents)), cell(time(row.at))];
    return tr;
  });
  const orderRow = (row) => {
    orders.delete(row.orderId);
    const entries = [[row.orderId, row], ...orders];
    orders.clear();
    for (const [key, value] of entries.slice(0, 20)) orders.set(key, value);
  };
  const snapshot = (data) => {
    const last10 = data.perSecond.slice(-10);
    for (const outcome of ['created', 'confirmed', 'cancelled']) {
      const average = last10.reduce((sum, point) => sum + point[outcome], 0) / last10.length;
      document.getElementById('rate-' + outcome).textContent = average.toFixed(1);
      document.getElementById('total-' + outcome).textContent = String(data.totals[outcome]);
    }
    document.getElementById('totals-since').textContent = 'per second over the last 10 s; in all since ' + time(data.since);
    ratesChart.data.labels = data.perSecond.map((point) => time(point.second));
    ['created', 'confirmed', 'cancelled'].forEach((outcome, index) => {
      ratesChart.data.datasets[index].data = data.perSecond.map((point) => point[outcome]);
    });
    ratesChart.update();
    revenueChart.data.labels = data.revenuePerMinute.map((point) => time(point.minute).slice(0, 5));
    revenueChart.data.datasets[0].data = data.revenuePerMinute.map((point) => point.revenueCents / 100);
    revenueChart.update();
    document.body.dataset.revenueCents = String(data.revenuePerMinute.reduce((sum, point) => sum + point.revenueCents, 0));
    for (const row of [...data.recentOrders].reverse()) if (!orders.has(row.orderId)) orderRow(row);
    renderOrders();
    const top = data.topSkus;
    document.getElementById('top-window').textContent = top ? time(top.windowStart) + '–' + time(top.windowEnd) : '(no closed window yet)';
    rows('top-skus', top ? top.skus : [], (entry) => [cell(entry.sku), cell(String(entry.units))]);
    rows('dlq', data.deadLetters, (entry) => [nameCell(entry.topic), cell(String(entry.count))]);
    rows('services', data.services, (service) => {
      const state = cell(service.state);
      state.className = service.members > 0 ? 'up' : 'down';
      return [nameCell(service.name), state, cell(String(service.members))];
    });
    document.getElementById('updated').textContent = 'updated ' + time(data.at);
  };
  const connection = document.getElementById('connection');
  const state = (text, className) => { connection.textContent = text; connection.className = className; };
  const handle = (type, data) => {
    if (type === 'snapshot') snapshot(JSON.parse(data));
    if (type === 'order') { orderRow(JSON.parse(data)); renderOrders(); }
  };
  // Sign-in: authorization code with PKCE at the issuer the gateway trusts (oauth4webapi, served
  // from node_modules like Chart.js). The access token stays in this tab's memory.
  const signIn = async () => {
    const settings = await (await fetch('/dashboard/sign-in.json')).json();
    const issuer = new URL(settings.issuer);
    const insecure = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
    const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const client = { client_id: settings.clientId };
    const redirectUri = location.origin + location.pathname;
    const current = new URL(location.href);
    const pending = JSON.parse(sessionStorage.getItem('orderflow.signIn') ?? 'null');
    if (pending && current.searchParams.has('state')) {
      sessionStorage.removeItem('orderflow.signIn');
      history.replaceState(null, '', location.pathname);
      const callback = oauth.validateAuthResponse(server, client, current, pending.state);
      const response = await oauth.authorizationCodeGrantRequest(
        server, client, oauth.None(), callback, redirectUri, pending.verifier,
        { ...insecure, additionalParameters: { resource: settings.audience } },
      );
      return (await oauth.processAuthorizationCodeResponse(server, client, response)).access_token;
    }
    const verifier = oauth.generateRandomCodeVerifier();
    const expectedState = oauth.generateRandomState();
    sessionStorage.setItem('orderflow.signIn', JSON.stringify({ verifier, state: expectedState }));
    const authorize = new URL(server.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: client.client_id, response_type: 'code', scope: 'openid', redirect_uri: redirectUri,
      resource: settings.audience, state: expectedState, code_challenge_method: 'S256',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    }).toString();
    location.assign(authorize);
    return undefined;
  };
  // EventSource cannot send an Authorization header: the stream is read with fetch instead.
  let token;
  const listen = async () => {
    for (;;) {
      try {
        const response = await fetch('/dashboard/events', {
          headers: { accept: 'text/event-stream', authorization: 'Bearer ' + token },
        });
        if (response.status === 401 || response.status === 403) return state('sign-in needed (an operator)', 'lost');
        state('live', 'live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          buffer += chunk.value;
          for (let end = buffer.indexOf('\\n\\n'); end >= 0; end = buffer.indexOf('\\n\\n')) {
            let type = 'message';
            let data = '';
            for (const line of buffer.slice(0, end).split('\\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            buffer = buffer.slice(end + 2);
            handle(type, data);
          }
        }
      } catch (error) {
        // the stream broke: reconnect below
      }
      state('reconnecting…', 'lost');
      await new Promise((wake) => setTimeout(wake, 1000));
    }
  };
  window.orderflowDashboard = { ratesChart, revenueChart };
  try {
    token = await signIn();
    if (token) void listen();
  } catch (error) {
    state('sign-in failed: ' + error.message, 'lost');
  }
})();
</script>
</body>
</html>
`;

/** A `<script>` or `<script type="module">` with its code inline (not one with `src`). */
export const inlineScripts = /<script(?: type="module")?>([\s\S]*?)<\/script>/g;

/** The hashes of the page's inline scripts, computed from the page so that an edit keeps them right. */
function inlineScriptHashes(page: string): string[] {
  return [...page.matchAll(inlineScripts)].map(
    ([, script]) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`,
  );
}

const pageScriptHashes = inlineScriptHashes(dashboardPage).join(' ');

/**
 * Chart.js, oauth4webapi and the page's own inline scripts, nothing else; styles may be inline (the
 * page's and Chart.js's); the page talks to the gateway and, to sign in, to the issuer's discovery and
 * token endpoints (connect-src); no framing, no plugins.
 */
export function dashboardPageCsp(issuerOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${pageScriptHashes}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${issuerOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
