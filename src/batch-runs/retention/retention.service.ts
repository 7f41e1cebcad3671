/**
 * Retention: finished runs older than RETENTION_DAYS are deleted (events, entries, snapshot, run
 * row) in bounded batches, on a schedule, each batch logged with its counts. RETENTION_DAYS=0 keeps
 * everything. Running runs are never touched, however old.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { PG_POOL } from '../../database/pg-pool';
import { GroupCommitter } from '../persistence/group-committer';
import { SQL } from '../persistence/run.sql';
import { BatchRunTracker } from '../read/batch-run.tracker';

export interface RetentionReport {
  runs: number;
  events: number;
  entries: number;
}

const JOB = 'runlog-retention';

@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private running: Promise<RetentionReport> | null = null;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly committer: GroupCommitter,
    private readonly tracker: BatchRunTracker,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionDays <= 0) return;
    const timer = setInterval(() => void this.runOnce().catch(() => undefined), this.config.retentionIntervalMinutes * 60_000);
    timer.unref();
    this.scheduler.addInterval(JOB, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every expired run, batch by batch; one pass at a time per process. */
  runOnce(): Promise<RetentionReport> {
    this.running ??= this.deleteExpired().finally(() => (this.running = null));
    return this.running;
  }

  private async deleteExpired(): Promise<RetentionReport> {
    const total: RetentionReport = { runs: 0, events: 0, entries: 0 };
    if (this.config.retentionDays <= 0) return total;
    for (;;) {
      const { rows } = await this.pool.query<{ events: number; entries: number; runs: string[] }>({
        ...SQL.deleteExpiredRuns,
        values: [this.config.retentionDays, this.config.retentionBatchRuns],
      });
      const batch = rows[0];
      if (batch.runs.length === 0) break;
      for (const id of batch.runs) {
        this.committer.forget(id);
        this.tracker.drop(id);
      }
      total.runs += batch.runs.length;
      total.events += batch.events;
      total.entries += batch.entries;
      this.logger.log(`retention: deleted ${batch.runs.length} run(s), ${batch.events} event(s), ${batch.entries} entr(ies) older than ${this.config.retentionDays} days`);
    }
    return total;
  }
}
