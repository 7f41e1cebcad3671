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

/** Runs whose last renewal is remembered; a run forgotten is renewed by its next commit. */
const MAX_REMEMBERED_RENEWALS = 10000;

@Injectable()
export class RunLeases {
  /** This process, as lease owner: host, pid and a random part (pids repeat across restarts). */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * When this instance's commits last renewed each run's lease (real time, as the database's now()).
   * A commit renews a lease only when a quarter of it has passed since: a run appended to many times a
   * second keeps a lease at least three quarters full, and its commits skip an upsert of the lease row.
   */
  private readonly renewedAt = new Map<string, number>();

  /** Of these running runs touched by a commit, the ones whose lease the commit should renew. */
  dueForRenewal(ids: string[], nowMs: number): string[] {
    const fresh = (this.config.runLeaseSeconds * 1000) / 4;
    return ids.filter((id) => {
      const at = this.renewedAt.get(id);
      return at === undefined || nowMs - at >= fresh || nowMs < at;
    });
  }

  /** A commit renewed these leases and released those. */
  committed(renewed: string[], released: string[], nowMs: number): void {
    for (const id of released) this.renewedAt.delete(id);
    for (const id of renewed) {
      this.renewedAt.delete(id); // re-insert: Map order is recency order
      this.renewedAt.set(id, nowMs);
    }
    while (this.renewedAt.size > MAX_REMEMBERED_RENEWALS) this.renewedAt.delete(this.renewedAt.keys().next().value!);
  }

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
