import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/access-rules';
import { AsyncApiDocsService } from './asyncapi-docs.service';
import { ASYNCAPI_PAGE_CSP } from './asyncapi-page';

/**
 * The Kafka side of the API, beside the HTTP side at /docs and public like it: topic names, message
 * schemas and consumer groups, which hold no secrets and no data.
 */
@Public()
@ApiExcludeController()
@Controller()
export class AsyncApiDocsController {
  constructor(private readonly docs: AsyncApiDocsService) {}

  @Get('asyncapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @Header('cache-control', 'no-cache')
  document(): string {
    return this.docs.json;
  }

  @Get('asyncapi')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @Header('content-security-policy', ASYNCAPI_PAGE_CSP)
  page(): string {
    return this.docs.page;
  }
}
