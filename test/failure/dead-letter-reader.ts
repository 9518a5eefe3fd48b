import { AssignerProtocol, Kafka } from 'kafkajs';
import { DeadLetter, KafkaTarget, listDeadLetters } from '../../tools/dlq/dead-letters';

/** Every topic that some service's Nest consumer group (`<service>-server`) subscribes to right now. */
export async function consumedTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const serverGroups = groups.map((group) => group.groupId).filter((id) => id.endsWith('-server'));
    const described = await admin.describeGroups(serverGroups);
    const topics = new Set<string>();
    for (const group of described.groups) {
      for (const member of group.members) {
        const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
        for (const topic of metadata?.topics ?? []) topics.add(topic);
      }
    }
    return [...topics].sort();
  } finally {
    await admin.disconnect();
  }
}

/** Dead letters of every `.dlq` topic that holds any. */
export async function allDeadLetters(kafka: Kafka, deadLetterTool: KafkaTarget): Promise<Map<string, DeadLetter[]>> {
  const admin = kafka.admin();
  await admin.connect();
  const result = new Map<string, DeadLetter[]>();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.endsWith('.dlq'));
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.every(({ offset, low }) => offset === low)) continue;
      result.set(topic, await listDeadLetters(deadLetterTool, topic));
    }
  } finally {
    await admin.disconnect();
  }
  return result;
}
