import { Participant, Participants, TopicDeclaration, topicDeclarations, TopicKind } from '@orderflow/contracts';

/** The kinds drawn; replies and dead letters follow from requests and consumers, and would only add noise. */
const DRAWN_KINDS: readonly TopicKind[] = ['request', 'command', 'event', 'stream-result', 'stream-internal'];

/** Request-reply dotted, commands thick, events and results plain. */
const ARROWS: Record<TopicKind, string> = {
  request: '-.->',
  command: '==>',
  event: '-->',
  'stream-result': '-->',
  'stream-internal': '-->',
  reply: '-.->',
  'dead-letter': '-->',
};

const NODE_LABELS: Record<Participant, string> = {
  gateway: 'gateway (HTTP)',
  orders: 'orders (saga)',
  inventory: 'inventory',
  payments: 'payments',
  notifications: 'notifications',
  audit: 'audit',
  search: 'search',
  analytics: 'analytics',
  'order-analytics': 'order-analytics (Kafka Streams)',
  'search-rebuild': 'search rebuild (tool)',
  'dlq-tool': 'dead-letter tool',
};

/** docs/topic-map.md: who talks to whom, as a Mermaid flowchart and a table of every topic. */
export function topicMapMarkdown(declarations: readonly TopicDeclaration[] = topicDeclarations): string {
  const drawn = declarations.filter((declaration) => DRAWN_KINDS.includes(declaration.kind));
  return [
    '# Topic map',
    '',
    'Generated from `libs/contracts/src/topic-declarations.ts` by `npm run contracts:generate`; a spec',
    'fails when it is stale, and another when the declaration disagrees with the code. Dotted arrows are',
    "request-reply (the answer goes back on `<topic>.reply`), thick ones the saga's commands, plain ones",
    'events and stream results. Not drawn: every Nest app that consumes a topic parks what it cannot',
    'handle on `<topic>.dlq`, which the dead-letter tool reads and may replay onto the topic.',
    '',
    '```mermaid',
    flowchart(drawn),
    '```',
    '',
    '| topic | kind | key | producers | consumers (group) |',
    '| --- | --- | --- | --- | --- |',
    ...drawn.map(tableRow),
    '',
  ].join('\n');
}

function flowchart(declarations: readonly TopicDeclaration[]): string {
  const edges = new Map<string, { kind: TopicKind; topics: string[] }>();
  for (const declaration of declarations) {
    for (const producer of declaration.producers) {
      if (producer === Participants.DeadLetterTool) continue;
      for (const consumer of declaration.consumers) {
        const edge = `${nodeId(producer)} ${ARROWS[declaration.kind]} ${nodeId(consumer)}`;
        const entry = edges.get(edge) ?? { kind: declaration.kind, topics: [] };
        entry.topics.push(declaration.topic);
        edges.set(edge, entry);
      }
    }
  }
  const used = new Set([...edges.keys()].flatMap((edge) => [edge.split(' ')[0], edge.split(' ')[2]]));
  const nodes = (Object.keys(NODE_LABELS) as Participant[])
    .filter((participant) => used.has(nodeId(participant)))
    .map((participant) => `  ${nodeId(participant)}["${NODE_LABELS[participant]}"]`);
  const lines = [...edges].map(([edge, { topics }]) => {
    const [from, arrow, to] = edge.split(' ');
    return `  ${from} ${arrow}|"${topics.join('<br/>')}"| ${to}`;
  });
  return ['flowchart LR', ...nodes, ...lines].join('\n');
}

function tableRow(declaration: TopicDeclaration): string {
  const consumers = declaration.consumers.map((consumer, index) => {
    const group = declaration.groups[index];
    return `${consumer} (\`${group.id}${group.match === 'prefix' ? '*' : ''}\`)`;
  });
  const producers = declaration.producers.filter((producer) => producer !== Participants.DeadLetterTool);
  return `| \`${declaration.topic}\` | ${declaration.kind} | ${declaration.key} | ${producers.join(', ')} | ${consumers.join(', ')} |`;
}

/** Mermaid ids take no dashes. */
function nodeId(participant: Participant): string {
  return participant.replaceAll('-', '_');
}
