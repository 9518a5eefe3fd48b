import { Injectable } from '@nestjs/common';
import { systemAsyncApi } from '@orderflow/contracts/asyncapi';
import { asyncApiPage } from './asyncapi-page';

/**
 * The system's AsyncAPI document, built from the contracts this gateway runs with (the same function
 * `npm run contracts:generate` writes docs/asyncapi/ from; the build carries no docs). Built at the
 * first request for it, not at start-up: every gateway would otherwise keep it in memory, as JSON and
 * as a page, for a route that is seldom asked (bench/README.md, "Memory under `npm start`").
 */
@Injectable()
export class AsyncApiDocsService {
  private built: { json: string; page: string } | undefined;

  get json(): string {
    return this.build().json;
  }

  get page(): string {
    return this.build().page;
  }

  private build(): { json: string; page: string } {
    if (!this.built) {
      const document = systemAsyncApi();
      this.built = { json: JSON.stringify(document), page: asyncApiPage(document) };
    }
    return this.built;
  }
}
