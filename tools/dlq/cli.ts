/**
 * `npm run dlq -- list <topic>`: the dead letters of `<topic>.dlq`, with reason and whether replayed.
 * `npm run dlq -- replay <topic> [--id <eventId | offset | partition:offset>]`: back onto `<topic>`.
 * The broker is KAFKA_BROKERS (default 127.0.0.1:9092).
 */
import { parseArgs } from 'node:util';
import { DeadLetter, deadLetterTopic, listDeadLetters, replayDeadLetters } from './dead-letters';

const USAGE = 'Usage: npm run dlq -- list <topic> | replay <topic> [--id <eventId | offset | partition:offset>]';

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { id: { type: 'string' } },
  });
  const [command, topic] = positionals;
  if (!topic || (command !== 'list' && command !== 'replay')) throw new Error(USAGE);
  const brokers = (process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:9092').split(',');
  if (command === 'list') {
    const letters = await listDeadLetters(brokers, topic);
    console.log(`${deadLetterTopic(topic)}: ${letters.length} dead letters`);
    for (const letter of letters) console.log(describe(letter));
    return;
  }
  const { replayed } = await replayDeadLetters(brokers, topic, values.id);
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
