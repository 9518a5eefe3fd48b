/**
 * `npm run dlq -- list <topic>`: the dead letters of `<topic>.dlq`, with reason and whether replayed.
 * `npm run dlq -- replay <topic> [--id <eventId | offset | partition:offset>]`: back onto `<topic>`.
 * The broker is KAFKA_BROKERS (default 127.0.0.1:9092); the tool's principal (orderflow-dlq-tool) is
 * KAFKA_SASL_USERNAME with KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE. With neither KAFKA_BROKERS
 * nor a user name set, it is the local broker's (npm start), from kafka/credentials.json in npm start's
 * data directory (.data, or ORDERFLOW_DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { kafkaCredentialsEnv, kafkaEnv, parseEnv } from '@orderflow/config';
import { kafkaSecurityOf } from '@orderflow/messaging';
import { z } from 'zod';
import { readBrokerCredentials, scramSasl } from '../kafka/credentials';
import { startKafkaDir } from '../system/data-dir';
import { DeadLetter, deadLetterTopic, KafkaTarget, listDeadLetters, replayDeadLetters } from './dead-letters';

const toolEnvSchema = z.object({ KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS, ...kafkaCredentialsEnv });

async function targetFromEnvironment(): Promise<KafkaTarget> {
  const env = parseEnv(toolEnvSchema, process.env);
  const brokers = env.KAFKA_BROKERS.split(',');
  if (process.env.KAFKA_BROKERS === undefined && env.KAFKA_SASL_USERNAME === undefined) {
    const local = await readBrokerCredentials(startKafkaDir());
    if (local) return { brokers, security: { sasl: scramSasl(local.participants['dlq-tool']) } };
  }
  return { brokers, security: kafkaSecurityOf(env) };
}

const USAGE = 'Usage: npm run dlq -- list <topic> | replay <topic> [--id <eventId | offset | partition:offset>]';

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { id: { type: 'string' } },
  });
  const [command, topic] = positionals;
  if (!topic || (command !== 'list' && command !== 'replay')) throw new Error(USAGE);
  const target = await targetFromEnvironment();
  if (command === 'list') {
    const letters = await listDeadLetters(target, topic);
    console.log(`${deadLetterTopic(topic)}: ${letters.length} dead letters`);
    for (const letter of letters) console.log(describe(letter));
    return;
  }
  const { replayed } = await replayDeadLetters(target, topic, values.id);
  for (const letter of replayed) console.log(`replayed ${describe(letter)}`);
  console.log(`${replayed.length} dead letters put back on ${topic.replace(/\.dlq$/, '')}`);
}

function describe(letter: DeadLetter): string {
  const state = letter.replayed ? 'replayed' : 'pending';
  return `${letter.partition}:${letter.offset} ${state} ${letter.reason ?? '?'} event=${letter.eventId ?? '-'} key=${letter.key ?? '-'} ${letter.error ?? ''}`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
