import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseSettings } from './database-settings';
import {
  createDataSourceOptions,
  EntityClass,
  initializeDataSource,
  MigrationClass,
  prepareDatabase,
} from './data-source';

export interface PersistenceOptions {
  /** Names the database (`orderflow_<service>`) or the embedded directory (`<DATA_DIR>/pglite/<service>`). */
  service: string;
  entities: EntityClass[];
  migrations: MigrationClass[];
}

const databaseVariables = ['DATABASE_URL', 'DATABASE_NAME', 'DATABASE_POOL_SIZE', 'DATA_DIR'] as const;

/**
 * The service's TypeORM DataSource, from DATABASE_* in the (global) ConfigService: the database is
 * created or started, then migrated, before the app starts. Feature modules use TypeOrmModule.forFeature.
 */
@Module({})
export class PersistenceModule {
  static forService(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: async (config: ConfigService) => {
            const env = Object.fromEntries(databaseVariables.map((name) => [name, config.get(name)]));
            const connection = await prepareDatabase(databaseSettings(env, options.service));
            return {
              ...createDataSourceOptions(connection, options.entities, options.migrations),
              // A retry would reuse options whose embedded database the failed attempt closed. Fail fast;
              // the supervisor (Kubernetes, npm start) restarts the service.
              toRetry: () => false,
            };
          },
          dataSourceFactory: async (dataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('PersistenceModule: no DataSource options');
            return initializeDataSource(new DataSource(dataSourceOptions));
          },
        }),
      ],
    };
  }
}
