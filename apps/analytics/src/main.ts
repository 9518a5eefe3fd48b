import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { AnalyticsAppModule } from './analytics-app.module';

void runService({ service: 'analytics', module: AnalyticsAppModule });
