import type { JsonSchema } from '@orderflow/contracts';
import type { AsyncApiDocument, AsyncApiOperation } from '@orderflow/contracts/asyncapi';
import { createHash } from 'node:crypto';

/**
 * A readable page of the AsyncAPI document, rendered on the server: one row per channel (topic) with
 * its kind, who sends and receives it and its message, then every schema. No script at all and nothing
 * from outside the gateway; every text from the document is escaped.
 */
const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f8; }
  body { margin: 0; padding: 16px 24px; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  h2 { font-size: 14px; margin: 24px 0 8px; color: #374151; text-transform: uppercase; letter-spacing: .04em; }
  h3 { font-size: 14px; margin: 16px 0 4px; }
  .intro { white-space: pre-wrap; font-size: 13px; color: #374151; max-width: 100ch; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; background: #fff; }
  td, th { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #eef0f3; }
  .kind { font-weight: 600; font-size: 12px; padding: 1px 6px; border-radius: 4px; background: #e5e7eb; }
  pre { background: #fff; padding: 8px 12px; border-radius: 6px; font-size: 12px; overflow-x: auto; }
  :target { outline: 2px solid #6366f1; }
`;

/** Only the page's own style may apply: no script, no other source, no framing. */
export const ASYNCAPI_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const SCHEMA_PREFIX = '#/components/schemas/';

export function asyncApiPage(document: AsyncApiDocument): string {
  const operations = Object.values(document.operations);
  const rows = Object.entries(document.channels).map(([id, channel]) => {
    const onChannel = operations.filter((operation) => operation.channel.$ref === `#/channels/${id}`);
    const senders = onChannel.filter((operation) => operation.action === 'send').map(performer);
    const receivers = onChannel.filter((operation) => operation.action === 'receive').map(receiverText);
    const messages = Object.values(channel.messages).map(({ $ref }) => {
      const message = document.components.messages[$ref.replace('#/components/messages/', '')];
      const schema = schemaNameIn(message.payload);
      const name = escapeHtml(message.title);
      return schema ? `<a href="#schema-${escapeHtml(schema)}">${name}</a>` : name;
    });
    return (
      `<tr id="channel-${escapeHtml(id)}"><td><code>${escapeHtml(channel.address)}</code></td>` +
      `<td><span class="kind">${escapeHtml(channel.tags.map((tag) => tag.name).join(', '))}</span></td>` +
      `<td>${escapeHtml(channel.summary)}</td><td>${escapeHtml(senders.join(', '))}</td>` +
      `<td>${escapeHtml(receivers.join(', '))}</td><td>${messages.join('<br>')}</td></tr>`
    );
  });
  const schemas = Object.entries(document.components.schemas).map(
    ([name, schema]) =>
      `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>` +
      `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
  );
  const servers = Object.entries(document.servers).map(
    ([name, server]) =>
      `<li><b>${escapeHtml(name)}</b> <code>${escapeHtml(server.protocol)}://${escapeHtml(server.host)}</code>: ` +
      `${escapeHtml(server.description)}</li>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(document.info.title)}: Kafka topics</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)}: Kafka topics</h1>
<p>AsyncAPI ${escapeHtml(document.asyncapi)} document, version ${escapeHtml(document.info.version)}:
<a href="/asyncapi.json">/asyncapi.json</a>. The HTTP API is at <a href="/docs">/docs</a>.</p>
<ul>${servers.join('')}</ul>
<div class="intro">${escapeHtml(document.info.description)}</div>
<h2>Channels</h2>
<table>
<thead><tr><th>topic</th><th>kind</th><th>summary</th><th>sent by</th><th>received by (group)</th><th>message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Schemas</h2>
${schemas.join('\n')}
</body>
</html>
`;
}

function performer(operation: AsyncApiOperation): string {
  return operation.tags[0].name;
}

function receiverText(operation: AsyncApiOperation): string {
  const group = operation.bindings.kafka.groupId;
  const groupText = Array.isArray(group?.enum)
    ? String(group.enum[0])
    : typeof group?.pattern === 'string'
      ? `${group.pattern.replace(/^\^/, '')}…`
      : undefined;
  return groupText ? `${performer(operation)} (${groupText})` : performer(operation);
}

/** The component schema a payload is, or one of its alternatives is (a dead letter's, an answer's). */
function schemaNameIn(payload: JsonSchema): string | undefined {
  const candidates = [payload, ...((payload.anyOf ?? payload.oneOf ?? []) as JsonSchema[])];
  const ref = candidates.map((schema) => schema.$ref).find((value) => value?.startsWith(SCHEMA_PREFIX));
  return ref?.slice(SCHEMA_PREFIX.length);
}
