import { TopicServerKafka } from './topic-server-kafka';
import { MeasuringKafkaParser } from './measuring-kafka-parser';

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

describe('TopicServerKafka parser', () => {
  class Inspectable extends TopicServerKafka {
    get messageParser(): unknown {
      return this.parser;
    }
  }

  it('decodes with the measuring parser, so the size check reads the size on the wire', () => {
    expect(new Inspectable({}).messageParser).toBeInstanceOf(MeasuringKafkaParser);
  });
});
