import type { ConsumerGroupJoinEvent } from '@nestjs/microservices/external/kafka.interface';
import type { Consumer } from 'kafkajs';
import { ReplyPartitionClientKafka, replyPartitionsOf } from './reply-partition-client-kafka';

describe('replyPartitionsOf', () => {
  it('names the partition Nest noted for each reply topic and leaves the others unnamed', () => {
    expect(
      replyPartitionsOf({ 'a.reply': [3, 0, 5], 'b.reply': [4], 'c.reply': [] }, { 'a.reply': 0, 'b.reply': 4 }),
    ).toEqual({
      named: [
        { topic: 'a.reply', partitions: [0] },
        { topic: 'b.reply', partitions: [4] },
      ],
      unnamed: [{ topic: 'a.reply', partitions: [3, 5] }],
    });
  });
});

describe('ReplyPartitionClientKafka', () => {
  /** The client as a group join leaves it, with `consumer` as its reply consumer. */
  function joined(memberAssignment: Record<string, number[]>, consumer = { pause: jest.fn(), resume: jest.fn() }) {
    const client = new ReplyPartitionClientKafka({});
    Object.assign(client, { _consumer: consumer as unknown as Consumer });
    const join = { payload: { memberAssignment } } as unknown as ConsumerGroupJoinEvent;
    (client as unknown as { setConsumerAssignments(event: ConsumerGroupJoinEvent): void }).setConsumerAssignments(join);
    return { client, consumer };
  }

  it('fetches only the partition its requests name: the others are paused at each assignment', () => {
    const { client, consumer } = joined({ 'orders.get.reply': [2, 1, 4] });
    expect(client.getConsumerAssignments()).toEqual({ 'orders.get.reply': 1 });
    expect(consumer.pause).toHaveBeenCalledWith([{ topic: 'orders.get.reply', partitions: [2, 4] }]);
    // After a rebalance the lowest may be one that an earlier assignment paused.
    expect(consumer.resume).toHaveBeenCalledWith([{ topic: 'orders.get.reply', partitions: [1] }]);
  });

  it('still takes the assignment when the consumer refuses to pause (only a cost)', () => {
    const refusing = {
      pause: jest.fn(() => {
        throw new Error('not running');
      }),
      resume: jest.fn(),
    };
    const { client } = joined({ 'x.reply': [0, 1] }, refusing);
    expect(client.getConsumerAssignments()).toEqual({ 'x.reply': 0 });
  });
});
