/**
 * Where the database is: DATABASE_URL when set, else an embedded PostgreSQL that runlog starts in
 * RUNLOG_DATA_DIR and stops on shutdown.
 */
import { AppConfig } from '../config/app.config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseLocation {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function resolveDatabase(config: AppConfig, log: (line: string) => void): Promise<DatabaseLocation> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  log(`starting embedded PostgreSQL in ${config.dataDir}`);
  const db = await startEmbeddedPostgres({ dataDir: config.dataDir, watchdog: config.pgWatchdog, notice: log });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
