/**
 * Writes the JSONB snapshots that phase ends and finishes call for, each in a transaction of its own,
 * after the group that committed the event. Extending a snapshot rewrites the whole JSONB value (about
 * a second at 100,000 entries, bench/snapshot-probe.ts); inside the group transaction that held up every
 * run of the lane. Now only the run itself waits (GroupCommitter holds back its later commands).
 *
 * A snapshot is derived: reads always extend it with the entries after activity_log_seq, so one that
 * lags is never wrong, only slower to read. One that could not be written (database unavailable) is
 * retried in the background; one lost with the process (a crash between the two transactions) is
 * caught up by the next phase end of a running run, or by the pass at start for a finished one.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { PG_POOL } from '../../database/pg-pool';
import { RunProjection } from './run-projection';
import { SQL } from './run.sql';

const RETRY_MS = 2000;
const CATCH_UP_BATCH = 500;

@Injectable()
export class SnapshotWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SnapshotWriter.name);
  /** Snapshots that could not be written, by run: the newest last seq each should reach. */
  private readonly retries = new Map<string, number>();
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projection: RunProjection,
  ) {}

  /** Finished runs whose snapshot lags (their writer died between commit and snapshot) are caught up. */
  async onApplicationBootstrap(): Promise<void> {
    const caughtUp = await this.catchUpFinishedRuns().catch((error) => {
      this.logger.warn(`snapshot catch-up failed: ${(error as Error).message}`);
      return 0;
    });
    if (caughtUp > 0) this.logger.warn(`caught up the snapshots of ${caughtUp} finished run(s)`);
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /** Extends the run's snapshot to lastSeq. Never rejects: a failure is logged and retried later. */
  async write(batchRunId: string, lastSeq: number): Promise<void> {
    if (await this.attempt(batchRunId, lastSeq)) return;
    this.logger.warn(`snapshot of ${batchRunId} up to seq ${lastSeq} postponed: the database is unavailable`);
    this.retries.set(batchRunId, Math.max(this.retries.get(batchRunId) ?? 0, lastSeq));
    this.scheduleRetry();
  }

  /** One try: true when it is settled (written, or failed for a reason no retry mends), false to retry. */
  private async attempt(batchRunId: string, lastSeq: number): Promise<boolean> {
    try {
      await this.projection.writeSnapshot(this.pool, batchRunId, lastSeq);
      return true;
    } catch (error) {
      if (isDatabaseUnavailable(error)) return false;
      this.logger.error(`snapshot of ${batchRunId} up to seq ${lastSeq} failed: ${(error as Error).message}`);
      return true;
    }
  }

  /** Writes the snapshots of finished runs that lag behind their log; returns how many it wrote. */
  async catchUpFinishedRuns(): Promise<number> {
    let written = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ batch_run_id: string; last_seq: number }>({ ...SQL.finishedRunsWithLaggingSnapshot, values: [CATCH_UP_BATCH] });
      let pass = 0;
      for (const row of rows) if (await this.projection.writeSnapshot(this.pool, row.batch_run_id, row.last_seq)) pass += 1;
      written += pass;
      if (rows.length < CATCH_UP_BATCH || pass === 0) return written;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.retryAll();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private async retryAll(): Promise<void> {
    for (const [batchRunId, lastSeq] of [...this.retries]) {
      if (this.stopped) return;
      // A newer seq queued for the run meanwhile stays for the next round.
      if ((await this.attempt(batchRunId, lastSeq)) && this.retries.get(batchRunId) === lastSeq) this.retries.delete(batchRunId);
    }
    if (this.retries.size > 0) this.scheduleRetry();
  }
}
