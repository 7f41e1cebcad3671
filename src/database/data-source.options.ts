/** The one TypeORM options source, shared by the app, the migration scripts and the tests. */
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { BatchRunEventEntity } from '../batch-runs/persistence/batch-run-event.entity';
import { BatchRunHistoryEntity } from '../batch-runs/persistence/batch-run-history.entity';
import { BatchRunLogEntryEntity } from '../batch-runs/persistence/batch-run-log-entry.entity';

export const ENTITIES = [BatchRunHistoryEntity, BatchRunLogEntryEntity, BatchRunEventEntity];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'runlog_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { max: 4, application_name: 'runlog-typeorm' },
  };
}
