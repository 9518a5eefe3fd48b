import { Injectable } from '@nestjs/common';
import { systemAsyncApi } from '@orderflow/contracts/asyncapi';
import { asyncApiPage } from './asyncapi-page';

/**
 * The system's AsyncAPI document, built once at start-up from the contracts this gateway runs with
 * (the same function `npm run contracts:generate` writes docs/asyncapi/ from; the build carries no docs).
 */
@Injectable()
export class AsyncApiDocsService {
  private readonly document = systemAsyncApi();
  readonly json = JSON.stringify(this.document);
  readonly page = asyncApiPage(this.document);
}
