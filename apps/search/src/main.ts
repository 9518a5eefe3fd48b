import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { SearchAppModule } from './search-app.module';

// From the earliest offset on first start: the projection is built from the whole history.
void runService({ service: 'search', module: SearchAppModule, consumer: { fromBeginning: true } });
