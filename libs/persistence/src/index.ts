export { TypeOrmModule, InjectRepository, InjectDataSource } from '@nestjs/typeorm';
export * from './database-settings';
export * from './data-source';
export { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
export { databaseUrl, dropDatabase, ensureDatabase } from './postgres-admin';
export * from './persistence.module';
export * from './snake-naming.strategy';
export * from './cents-column';
export * from './group-commit';
