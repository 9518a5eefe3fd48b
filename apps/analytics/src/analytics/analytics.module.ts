import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { analyticsEntities } from './analytics-entities';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { ResultTopics } from './result-topics';

@Module({
  imports: [TypeOrmModule.forFeature(analyticsEntities)],
  controllers: [AnalyticsController],
  providers: [ResultTopics, AnalyticsRepository, AnalyticsService],
})
export class AnalyticsModule {}
