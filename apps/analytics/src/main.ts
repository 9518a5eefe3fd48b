import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { AnalyticsAppModule } from './analytics-app.module';
import { analyticsEnvSchema } from './analytics.env';

void runService({ service: 'analytics', module: AnalyticsAppModule, env: analyticsEnvSchema });
