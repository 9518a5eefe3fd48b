/**
 * Writes what is derived from the contracts (libs/contracts): the topic declaration as JSON, the flow
 * map and the AsyncAPI documents. `npm run contracts:generate`; a spec checks the files are current.
 */
import 'reflect-metadata';
import { appAsyncApi, documentedParticipants, systemAsyncApi } from '@orderflow/contracts/asyncapi';
import { formatted, writeOrCheck } from '../generated-files';
import { declarationsDocument } from './declarations-document';
import { topicMapMarkdown } from './topic-map';

export async function contractFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set('libs/contracts/topic-declarations.json', JSON.stringify(declarationsDocument()));
  files.set('docs/topic-map.md', topicMapMarkdown());
  files.set('docs/asyncapi/orderflow.asyncapi.json', JSON.stringify(systemAsyncApi()));
  for (const participant of documentedParticipants) {
    files.set(`docs/asyncapi/${participant}.asyncapi.json`, JSON.stringify(appAsyncApi(participant)));
  }
  return formatted(files);
}

async function main(argv: string[]): Promise<void> {
  writeOrCheck(await contractFiles(), argv, ['docs/asyncapi']);
}

if (require.main === module) void main(process.argv.slice(2));
