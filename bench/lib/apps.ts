/** Boots runlog instances for the benchmark the way `npm start` does (createApp), on a given database. */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Pool } from 'pg';
import { createApp } from '../../src/app.factory';
import { signToken } from '../../src/auth/token.service';
import { loadConfig } from '../../src/config/app.config';
import { PG_POOL } from '../../src/database/pg-pool';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { NewLogEntry } from '../../src/batch-runs/domain/run.commands';
import { CommitResult, GroupCommitter } from '../../src/batch-runs/persistence/group-committer';
import { RunReadRepository } from '../../src/batch-runs/persistence/run-read.repository';
import { RunLogReader } from '../../src/batch-runs/read/run-log.reader';

export const BENCH_JWT_SECRET = 'runlog-benchmark-secret-not-for-production-0123456789';

/** The environment every benchmark instance runs with (on top of the defaults). */
export function benchEnv(url: string, dataDir: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    RUNLOG_DATA_DIR: dataDir,
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    SEED_DEMO_RUN: 'false',
    DEMO_BATCH_SECONDS: '0',
    RUN_MIGRATIONS: 'false',
    // The benchmark downloads far more often than a person would.
    RATE_LIMIT_DOWNLOADS_PER_MINUTE: '10000000',
    // Ingestion rounds write long runs; the cap is not what is measured.
    MAX_ENTRIES_PER_RUN: '10000000',
    // Runs left open between rounds must not be interrupted by the lease sweeper mid-measurement.
    RUN_LEASE_SECONDS: '86400',
    // The group-commit settings under test, from the environment when set (the defaults otherwise).
    ...passThrough(['GROUP_COMMIT_LANES', 'GROUP_COMMIT_MAX_ENTRIES']),
  };
}

function passThrough(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

export interface BenchApp {
  app: INestApplication;
  baseUrl: string;
  pool: Pool;
  commandBus: CommandBus;
  committer: GroupCommitter;
  reader: RunLogReader;
  repository: RunReadRepository;
  start(batchRunId: string, phases?: string[]): Promise<CommitResult>;
  append(batchRunId: string, entries: NewLogEntry[]): Promise<CommitResult>;
  completePhase(batchRunId: string, phase: string): Promise<CommitResult>;
  finish(batchRunId: string): Promise<CommitResult>;
  close(): Promise<void>;
}

export async function startBenchApp(url: string, extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-bench-app-'));
  const config = loadConfig({ ...benchEnv(url, dataDir), ...extraEnv });
  const app = await createApp({ config, databaseUrl: url, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const commandBus = app.get(CommandBus);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    pool: app.get<Pool>(PG_POOL),
    commandBus,
    committer: app.get(GroupCommitter),
    reader: app.get(RunLogReader),
    repository: app.get(RunReadRepository),
    start: (batchRunId, phases = []) => commandBus.execute(new StartBatchRunCommand({ batchRunId, phases, totalJobs: phases.length })),
    append: (batchRunId, entries) => commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries })),
    completePhase: (batchRunId, phase) => commandBus.execute(new CompletePhaseCommand({ batchRunId, phase, completedJobs: 1 })),
    finish: (batchRunId) => commandBus.execute(new FinishBatchRunCommand({ batchRunId, status: 'completed' })),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function adminToken(): Promise<string> {
  return signToken(BENCH_JWT_SECRET, { sub: 'bench-admin', role: 'admin', ttl: '2h' });
}

export function serviceToken(): Promise<string> {
  return signToken(BENCH_JWT_SECRET, { sub: 'bench-producer', role: 'service', ttl: '2h' });
}
