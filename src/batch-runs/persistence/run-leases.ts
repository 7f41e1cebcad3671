/**
 * Leases: a running run belongs to the runlog process that last wrote it (or that runs its batch)
 * until expires_at. Every commit renews the leases of the runs it touched (in its one statement), and the orchestrator
 * renews the runs it is executing while their jobs are quiet. A run whose lease expired has lost its
 * writer; the sweeper finishes it as failed. Times are the database's (now()), so instances with
 * skewed clocks agree.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { hostname } from 'os';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { PG_POOL } from '../../database/pg-pool';
import { RunState, isFinished } from '../domain/run.state';
import { SQL } from './run.sql';

/** What a commit does to the leases of the runs it touched: running ones are leased to the writer, finished ones released. */
export function leaseChanges(states: Iterable<RunState>): { renew: string[]; release: string[] } {
  const renew: string[] = [];
  const release: string[] = [];
  for (const s of states) (isFinished(s) ? release : renew).push(s.batchRunId);
  return { renew, release };
}

export interface ExpiredLease {
  batchRunId: string;
  owner: string | null;
  expiredAt: string;
}

/** A time during which no runlog instance was alive, found by a beat. */
export interface LivenessGap {
  seconds: number;
  shiftedLeases: number;
}

@Injectable()
export class RunLeases {
  /** This process, as lease owner: host, pid and a random part (pids repeat across restarts). */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Heartbeat for runs that are alive but quiet; returns the ids that are still running and leased. */
  async renew(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ batch_run_id: string }>({
      ...SQL.heartbeatLeases,
      values: [ids, this.instanceId, this.config.runLeaseSeconds],
    });
    return rows.map((r) => r.batch_run_id);
  }

  /**
   * Says this instance is alive (SQL.beatLiveness). When no instance had beaten for longer than
   * downAfterSeconds, runlog was unavailable meanwhile, and the leases of running runs get that time
   * back: returns the gap and how many leases were shifted, or null when the beat found a gap this
   * short (the normal case) or the liveness row was missing (it is recreated).
   */
  async beat(downAfterSeconds: number): Promise<LivenessGap | null> {
    const { rows } = await this.pool.query<{ gap_seconds: number; down: boolean; shifted: number }>({
      ...SQL.beatLiveness,
      values: [downAfterSeconds, this.config.runLeaseSeconds],
    });
    const row = rows[0];
    return row?.down ? { seconds: row.gap_seconds, shiftedLeases: row.shifted } : null;
  }

  /** Running runs whose lease ran out (or that never had one and have been quiet as long). */
  async findExpired(limit = 100): Promise<ExpiredLease[]> {
    const { rows } = await this.pool.query({ ...SQL.expiredLeases, values: [this.config.runLeaseSeconds, limit] });
    return rows.map((r) => ({ batchRunId: r.batch_run_id, owner: r.owner, expiredAt: r.expired_at }));
  }
}
