/**
 * A real runlog instance for a test: its own fresh database (or a shared one, to play a second
 * instance or a restart), migrated, with the full Nest app. close() leaves nothing running.
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CommandBus } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app.config';
import { runMigrations } from '../../src/database/migrate';
import { PG_POOL } from '../../src/database/pg-pool';
import { GroupCommitter } from '../../src/batch-runs/persistence/group-committer';
import { BatchRunTracker } from '../../src/batch-runs/read/batch-run.tracker';
import { RunLogReader } from '../../src/batch-runs/read/run-log.reader';
import { BatchOrchestrator } from '../../src/orchestrator/batch-orchestrator';
import { createTestDatabase, TestDatabase } from './test-database';
import { Role } from '../../src/auth/principal';
import { signToken } from '../../src/auth/token.service';

/** The secret every test app signs with (tests never touch ./.data). */
export const TEST_JWT_SECRET = 'test-secret-for-runlog-integration-tests-0123456789';

export function tokenFor(role: Role, sub = `${role}-1`, ttl: string | number = '1h'): Promise<string> {
  return signToken(TEST_JWT_SECRET, { sub, role, ttl });
}

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  config: AppConfig;
  commandBus: CommandBus;
  committer: GroupCommitter;
  tracker: BatchRunTracker;
  reader: RunLogReader;
  orchestrator: BatchOrchestrator;
  pool: Pool;
  /** Base URL when started with listen: true. */
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Share a database with another instance; otherwise a fresh one is created and dropped on close. */
  db?: TestDatabase;
  config?: Partial<AppConfig>;
  env?: Record<string, string>;
  clock?: Clock;
  listen?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDb = !options.db;
  const db = options.db ?? (await createTestDatabase());
  // Local state (the spool) goes to a directory of this app's own, never the repository's ./.data.
  const dataDir = options.env?.RUNLOG_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'runlog-test-'));
  const config: AppConfig = {
    ...loadConfig({ DEMO_BATCH_SECONDS: '0', SEED_DEMO_RUN: 'false', AUTH_JWT_SECRET: TEST_JWT_SECRET, RUNLOG_DATA_DIR: dataDir, ...options.env }),
    ...options.config,
  };
  await runMigrations(db.url);
  const app = await createApp({ config, databaseUrl: db.url, clock: options.clock, logger: ['error'] });
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const address = options.listen ? (app.getHttpServer().address() as { port: number }) : null;
  let closed = false;
  return {
    app,
    db,
    config,
    commandBus: app.get(CommandBus),
    committer: app.get(GroupCommitter),
    tracker: app.get(BatchRunTracker),
    reader: app.get(RunLogReader),
    orchestrator: app.get(BatchOrchestrator),
    pool: app.get<Pool>(PG_POOL),
    baseUrl: address ? `http://127.0.0.1:${address.port}` : '',
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (ownsDb) await db.drop();
      if (!options.env?.RUNLOG_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
