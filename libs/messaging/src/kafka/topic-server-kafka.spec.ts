import { TopicServerKafka } from './topic-server-kafka';

describe('TopicServerKafka', () => {
  const server = new TopicServerKafka({});

  it('routes a plain topic name without parsing it as JSON', () => {
    const parse = jest.spyOn(JSON, 'parse');
    expect(server.getRouteFromPattern('order.created')).toBe('order.created');
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });

  it('still normalizes a JSON pattern as Nest does', () => {
    expect(server.getRouteFromPattern('{"cmd":"sum"}')).toBe('{"cmd":"sum"}');
  });
});
