import { Module } from '@nestjs/common';
import { OrderProjectionRepository } from './order-projection.repository';
import { OrderProjector } from './order-projector';
import { OrderSearchRepository } from './order-search.repository';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  providers: [OrderProjectionRepository, OrderProjector, OrderSearchRepository, SearchService],
  exports: [OrderProjectionRepository, OrderProjector],
})
export class SearchModule {}
