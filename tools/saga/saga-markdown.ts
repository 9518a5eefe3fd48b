import { OrderStatus, OrderStatuses } from '@orderflow/contracts';
import {
  eventsOnEntering,
  SagaInput,
  SagaRule,
  sagaStart,
  sagaTable,
} from '../../apps/orders/src/orders/order-saga-table';

export const SAGA_SECTION_START = '<!-- saga-table:start -->';
export const SAGA_SECTION_END = '<!-- saga-table:end -->';

const SOURCE = 'apps/orders/src/orders/order-saga-table.ts';

const inputs = Object.keys(sagaTable) as SagaInput[];
const rules = inputs.flatMap((on) => sagaTable[on].map((rule) => ({ on, rule })));

const code = (text: string) => `\`${text}\``;
const inputName = (on: SagaInput) => (on === 'customer.cancel' ? "the customer's cancel" : code(on));

/** What a rule does to the status, in words: its moves, or the end of a cancellation for a confirmation. */
function moveOf(rule: SagaRule): string {
  if (rule.to.length === 0) {
    return rule.confirms ? 'CANCELLED if nothing else is awaited (reason kept), else stays' : 'stays';
  }
  return rule.to.join(' → ') + (rule.reason ? ` (${rule.reason})` : '');
}

function compensationsOf(rule: SagaRule): string {
  if (rule.confirms) return `${code(rule.confirms)} confirmed`;
  return rule.compensations.length > 0 ? `asks ${rule.compensations.map(code).join(', ')}` : '';
}

function rulesTable(): string[] {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['In', 'On', 'Only while', 'Moves to', 'Commands', 'Compensations', 'Why']),
    row(Array.from({ length: 7 }, () => '---')),
    row([
      '(new)',
      'an accepted order',
      '',
      sagaStart.to,
      sagaStart.commands.map(code).join(', '),
      '',
      `Publishes ${sagaStart.events.map(code).join(', ')}; no ${code('order.status-changed')} (no status before it).`,
    ]),
    ...rules.map(({ on, rule }) =>
      row([
        rule.in.join(', '),
        inputName(on),
        rule.confirms ? `${code(rule.confirms)} awaited` : '',
        moveOf(rule),
        rule.commands.map(code).join(', '),
        compensationsOf(rule),
        rule.note ?? '',
      ]),
    ),
  ];
}

/** State × message: where each message does something, and (—) where it changes nothing. */
function matrix(): string[] {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const cell = (status: OrderStatus, on: SagaInput) => {
    const rule = sagaTable[on].find((candidate) => candidate.in.includes(status));
    if (!rule) return '—';
    if (rule.confirms) return 'confirms, if awaited (the last → CANCELLED)';
    return `→ ${rule.to.join(' → ')}`;
  };
  return [
    row(['State', ...inputs.map(inputName)]),
    row(['---', ...inputs.map(() => '---')]),
    ...OrderStatuses.map((status) => row([status, ...inputs.map((on) => cell(status, on))])),
  ];
}

/** A Mermaid state diagram: one arrow per move, labelled with the messages that cause it. */
function diagram(): string[] {
  const arrows = new Map<string, { labels: string[]; suffix: string }>();
  const arrow = (from: string, to: string, label: string, suffix = '') => {
    const key = `${from} --> ${to}`;
    const labels = arrows.get(key)?.labels ?? [];
    arrows.set(key, { labels: labels.includes(label) ? labels : [...labels, label], suffix });
  };
  arrow('[*]', sagaStart.to, 'order accepted');
  for (const { on, rule } of rules) {
    const label = on === 'customer.cancel' ? 'customer cancels' : on;
    for (const from of rule.in) {
      if (rule.confirms) arrow(from, 'CANCELLED', label, ' (the last awaited)');
      const [first, ...rest] = rule.to;
      if (!first) continue;
      arrow(from, first, label);
      rest.forEach((status, index) => arrow(index === 0 ? first : rest[index - 1], status, 'at once'));
    }
  }
  arrow('CANCELLED', '[*]', 'done');
  return [
    '```mermaid',
    'stateDiagram-v2',
    ...[...arrows].map(([key, { labels, suffix }]) => `  ${key}: ${labels.join(' or ')}${suffix}`),
    '```',
  ];
}

function eventsSentence(): string {
  const entering = OrderStatuses.filter((status) => eventsOnEntering[status].length > 0).map(
    (status) => `entering ${status} also ${eventsOnEntering[status].map(code).join(', ')}`,
  );
  return `Every move publishes ${code('order.status-changed')}; ${entering.join(', ')}.`;
}

/** The generated part of docs/saga.md, markers included. */
export function sagaSectionMarkdown(): string {
  return [
    SAGA_SECTION_START,
    '',
    `<!-- Generated from ${SOURCE} by \`npm run docs:saga\`: change the table, then run it. -->`,
    '',
    ...rulesTable(),
    '',
    ...wrapped(
      `${eventsSentence()} Commands and compensations follow the move's events, in the order shown, each ` +
        'tagged with the order version after the move. A rule that asks for compensations starts a ' +
        'cancellation that waits for exactly those. Any other message changes nothing (a duplicate, or one ' +
        'that came too late), as the table of states and messages shows:',
    ),
    '',
    ...matrix(),
    '',
    ...diagram(),
    '',
    SAGA_SECTION_END,
  ].join('\n');
}

/** A paragraph in lines of at most `width` characters, as the hand-written docs are. */
function wrapped(paragraph: string, width = 100): string[] {
  const lines: string[] = [];
  for (const word of paragraph.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** `document` with the text between the markers (inclusive) replaced by `section`. */
export function withSagaSection(document: string, section: string = sagaSectionMarkdown()): string {
  const start = document.indexOf(SAGA_SECTION_START);
  const end = document.indexOf(SAGA_SECTION_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/saga.md needs ${SAGA_SECTION_START} and, after it, ${SAGA_SECTION_END}`);
  }
  return document.slice(0, start) + section + document.slice(end + SAGA_SECTION_END.length);
}
