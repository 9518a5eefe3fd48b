import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { SearchAppModule } from './search-app.module';
import { searchEnvSchema } from './search.env';

// From the earliest offset on first start: the projection is built from the whole history.
void runService({
  service: 'search',
  module: SearchAppModule,
  env: searchEnvSchema,
  consumer: { fromBeginning: true },
});
