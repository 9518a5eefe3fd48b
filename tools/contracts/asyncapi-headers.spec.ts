import { KafkaHeaders } from '@nestjs/microservices';
import { ASYNCAPI_DOCUMENT_VERSION, NestKafkaHeaders } from '@orderflow/contracts/asyncapi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../system/repository-root';

// The dead-letter headers and reasons need no check here: libs/contracts declares them (dead-letters.ts)
// and libs/messaging writes those. Nest's headers and the version come from outside the contracts.
describe('what the AsyncAPI documents say about headers and versions', () => {
  it("names Nest's request-reply headers as @nestjs/microservices does", () => {
    expect(NestKafkaHeaders).toEqual({
      CorrelationId: KafkaHeaders.CORRELATION_ID,
      ReplyTopic: KafkaHeaders.REPLY_TOPIC,
      ReplyPartition: KafkaHeaders.REPLY_PARTITION,
      Error: KafkaHeaders.NEST_ERR,
      IsDisposed: KafkaHeaders.NEST_IS_DISPOSED,
    });
  });

  it("carries the system's version from package.json", () => {
    const { version } = JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { version: string };
    expect(ASYNCAPI_DOCUMENT_VERSION).toBe(version);
  });
});
