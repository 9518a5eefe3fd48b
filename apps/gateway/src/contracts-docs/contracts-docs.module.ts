import { Module } from '@nestjs/common';
import { AsyncApiDocsController } from './asyncapi-docs.controller';
import { AsyncApiDocsService } from './asyncapi-docs.service';

/** GET /asyncapi.json and GET /asyncapi: the AsyncAPI document of the system's Kafka topics. */
@Module({
  controllers: [AsyncApiDocsController],
  providers: [AsyncApiDocsService],
})
export class ContractsDocsModule {}
