import { KafkaHeaders } from '@nestjs/microservices';
import {
  ASYNCAPI_DOCUMENT_VERSION,
  DeadLetterHeaderNames,
  DeadLetterReasons,
  NestKafkaHeaders,
} from '@orderflow/contracts/asyncapi';
import { DeadLetterHeaders, type DeadLetterReason } from '@orderflow/messaging';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../system/repository-root';

// libs/contracts imports nothing of ours, so the AsyncAPI documents name these headers themselves.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const reasonsAgree: Same<(typeof DeadLetterReasons)[number], DeadLetterReason> = true;

describe('what the AsyncAPI documents say about headers and versions', () => {
  it('names the dead-letter headers and reasons that libs/messaging writes', () => {
    expect(DeadLetterHeaderNames).toEqual(DeadLetterHeaders);
    expect(reasonsAgree).toBe(true);
  });

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
