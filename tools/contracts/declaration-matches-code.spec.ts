import { consumedBy, declarationOf, Participants, topicDeclarations } from '@orderflow/contracts';
import { declarationMismatches } from './declaration-mismatches';
import { TopicUse, topicUsesInApps } from './topics-in-code';

describe('the topic declaration', () => {
  let uses: TopicUse[];

  beforeAll(() => {
    uses = topicUsesInApps();
  }, 60_000);

  it('finds the handlers and sends of the apps in the code', () => {
    // Guards the reader itself: if it stopped resolving topics, an empty list would agree with nothing.
    expect(uses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ app: 'orders', role: 'consumes', topic: 'payment.charged' }),
        expect.objectContaining({ app: 'orders', role: 'produces', topic: 'payments.charge' }),
        expect.objectContaining({ app: 'inventory', role: 'produces', topic: 'inventory.rejected' }),
        expect.objectContaining({ app: 'gateway', role: 'requests', topic: 'orders.create' }),
        expect.objectContaining({ app: 'audit', role: 'consumes', topic: 'product.registered' }),
      ]),
    );
  });

  it('declares exactly what the apps consume, produce and request', () => {
    expect(declarationMismatches(uses, topicDeclarations)).toEqual([]);
  });

  it('declares the search rebuild reading the events the search projection handles', () => {
    const declared = consumedBy(Participants.SearchRebuild).map((declaration) => declaration.topic);
    const projected = uses
      .filter((use) => use.app === 'search' && use.role === 'consumes' && declarationOf(use.topic)?.kind === 'event')
      .map((use) => use.topic);
    expect(declared.sort()).toEqual(projected.sort());
  });

  it('derives a reply topic for every request, produced by its server for its callers', () => {
    const reply = declarationOf('orders.create.reply');
    expect(reply).toMatchObject({ kind: 'reply', producers: ['orders'], consumers: ['gateway'] });
    expect(reply?.groups).toEqual([{ id: 'gateway-client', match: 'exact' }]);
  });

  it('derives a dead-letter topic produced by the Nest apps that consume its topic', () => {
    expect(declarationOf('order.confirmed.dlq')).toMatchObject({
      kind: 'dead-letter',
      producers: ['gateway', 'notifications', 'search', 'audit'],
      consumers: ['dlq-tool'],
    });
  });
});

describe('declaration mismatches', () => {
  const declaration = declarationOf('payment.charged')!;
  const handler: TopicUse = {
    app: 'orders',
    role: 'consumes',
    topic: 'payment.charged',
    where: 'apps/orders/src/x.ts:1',
    payloadClass: 'PaymentChargedMessage',
  };
  const send: TopicUse = { app: 'payments', role: 'produces', topic: 'payment.charged', where: 'apps/payments/y.ts:2' };

  it('says which consumer to add for a handler that is not declared', () => {
    const notifications: TopicUse = { ...handler, app: 'notifications' };
    expect(declarationMismatches([handler, send, notifications], [declaration])).toEqual([
      expect.stringContaining('notifications consumes payment.charged: add notifications to its consumers in'),
      expect.stringContaining('audit is declared among the consumers of payment.charged, but no code of apps/audit'),
    ]);
  });

  it('says to declare a topic the code sends that the declaration lacks', () => {
    const unknown: TopicUse = { ...send, topic: 'payment.disputed' };
    expect(declarationMismatches([handler, send, unknown], [declaration], ['orders', 'payments'])).toEqual([
      'apps/payments/y.ts:2: payments produces payment.disputed, which is not declared: add it to libs/contracts/src/topic-declarations.ts',
    ]);
  });

  it('says which producer to remove when no code sends the topic', () => {
    expect(declarationMismatches([handler], [declaration], ['orders', 'payments'])).toEqual([
      expect.stringContaining(
        'payments is declared among the producers of payment.charged, but no code of apps/payments sends it',
      ),
    ]);
  });

  it('names a handler whose payload class is not the one its topic carries', () => {
    const wrongClass: TopicUse = { ...handler, payloadClass: 'PaymentDeclinedMessage' };
    expect(declarationMismatches([wrongClass, send], [declaration], ['orders', 'payments'])).toEqual([
      'apps/orders/src/x.ts:1: the handler of payment.charged takes PaymentDeclinedMessage, but payment.charged carries PaymentChargedMessage',
    ]);
  });
});
