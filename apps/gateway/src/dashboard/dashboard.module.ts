import { Module } from '@nestjs/common';
import { DashboardEventsController } from './dashboard-events.controller';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

@Module({
  controllers: [DashboardController, DashboardEventsController],
  providers: [DashboardService],
})
export class DashboardModule {}
