import { systemAsyncApi } from '@orderflow/contracts/asyncapi';
import { createHash } from 'node:crypto';
import { ASYNCAPI_PAGE_CSP, asyncApiPage, escapeHtml } from './asyncapi-page';

describe('the AsyncAPI page', () => {
  const document = systemAsyncApi();
  const page = asyncApiPage(document);

  it('has one row per channel', () => {
    const rows = page.match(/<tr id="channel-/g) ?? [];
    expect(rows).toHaveLength(Object.keys(document.channels).length);
  });

  it("shows a channel's kind, senders, receivers with their group and a link to its message's schema", () => {
    const row = page.split('\n').find((line) => line.startsWith('<tr id="channel-payments.charge"'));
    expect(row).toContain('<code>payments.charge</code>');
    expect(row).toContain('<span class="kind">command</span>');
    expect(row).toContain('<td>orders, dlq-tool</td>');
    expect(row).toContain('<td>payments (payments-server)</td>');
    expect(row).toContain('<a href="#schema-ChargePaymentEnvelope">ChargePaymentEnvelope</a>');
    expect(page).toContain('<section id="schema-ChargePaymentEnvelope">');
  });

  it('escapes every text it takes from the document', () => {
    const hostile = structuredClone(document);
    hostile.info.title = '<script>alert("title")</script>';
    hostile.channels['orders.create'].summary = `<img src=x onerror="alert('summary')"> & more`;
    hostile.components.schemas['OrderItem'] = { description: '</pre><script>alert(1)</script>' };
    const html = asyncApiPage(hostile);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=&#34;alert(&#39;summary&#39;)&#34;&#62; &#38; more');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('allows its own style and nothing else: no script may run', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const hash = createHash('sha256').update(style).digest('base64');
    expect(ASYNCAPI_PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(ASYNCAPI_PAGE_CSP).toContain("default-src 'none'");
    expect(page).not.toContain('<script');
  });
});
