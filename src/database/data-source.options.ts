/**
 * The TypeORM options of the migration runner (src/database/migrate.ts), for the app's start, the
 * migration scripts and the tests alike. TypeORM runs migrations only: runlog reads and writes with
 * pg and the statements of run.sql.ts, so it has no entities (entity classes beside the SQL described
 * the tables a second time, and had drifted from them).
 */
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'runlog_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { max: 4, application_name: 'runlog-typeorm' },
  };
}
