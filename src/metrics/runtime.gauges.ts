/**
 * The metrics read when Prometheus scrapes, from the objects that already hold the numbers: queues,
 * pools, open streams, the read cache, the spool, the lease sweeper. Nothing is pushed from the hot
 * path for these; a scrape costs a walk over a few small collections (the open streams' buffers).
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { LeaseSweeper } from '../batch-runs/leases/lease-sweeper';
import { GroupCommitter } from '../batch-runs/persistence/group-committer';
import { BatchRunTracker } from '../batch-runs/read/batch-run.tracker';
import { DurableDispatcher } from '../batch-runs/spool/durable-dispatcher';
import { PG_POOL, PG_READ_POOL } from '../database/pg-pool';
import { StreamSlots } from '../http/stream-slots';
import { METRICS_REGISTRY } from './metrics-registry';

type Series = Array<[labels: Record<string, string>, value: number]>;

@Injectable()
export class RuntimeGauges {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PG_POOL) writePool: Pool,
    @Inject(PG_READ_POOL) readPool: Pool,
    committer: GroupCommitter,
    slots: StreamSlots,
    tracker: BatchRunTracker,
    spool: DurableDispatcher,
    sweeper: LeaseSweeper,
  ) {
    this.gauge('runlog_group_commit_queue_depth', 'Commands waiting in a lane for the next group (not yet in a transaction).', ['lane'], () =>
      committer.queueDepths().map((depth, lane) => [{ lane: String(lane) }, depth]),
    );

    const pools = { write: writePool, read: readPool } as const;
    const perPool = (read: (pool: Pool) => number) => () => Object.entries(pools).map(([name, pool]): Series[number] => [{ pool: name }, read(pool)]);
    this.gauge('runlog_db_pool_connections', 'Connections the pool has open (in use and idle).', ['pool'], perPool((p) => p.totalCount));
    this.gauge('runlog_db_pool_connections_idle', 'Open connections no one holds.', ['pool'], perPool((p) => p.idleCount));
    this.gauge('runlog_db_pool_connections_in_use', 'Connections checked out (a query or transaction in progress).', ['pool'], perPool((p) => p.totalCount - p.idleCount));
    this.gauge('runlog_db_pool_waiting_clients', 'Callers waiting for a connection: above 0 with none idle, the pool is exhausted.', ['pool'], perPool((p) => p.waitingCount));
    this.gauge('runlog_db_pool_max_connections', 'The pool size (10 for write, READ_POOL_MAX for read).', ['pool'], perPool((p) => p.options.max ?? 10));

    this.gauge('runlog_sse_connections', 'Live event streams (SSE) open.', [], () => [[{}, slots.limiters.events.active]]);
    this.gauge('runlog_sse_buffered_bytes', "Bytes written to live event streams that their clients have not taken yet (Node's buffers).", [], () => [[{}, slots.bufferedBytes('events')]]);
    this.gauge('runlog_downloads_in_flight', 'Log downloads being sent.', [], () => [[{}, slots.limiters.downloads.active]]);
    this.gauge('runlog_download_buffered_bytes', "Bytes written to downloads that their clients have not taken yet (Node's buffers).", [], () => [[{}, slots.bufferedBytes('downloads')]]);

    this.gauge('runlog_log_cache_runs', 'Runs whose log the read cache holds.', [], () => [[{}, tracker.size]]);
    this.gauge('runlog_log_cache_estimated_bytes', "The read cache's own estimate of the bytes its logs take (compare nodejs_heap_size_used_bytes).", [], () => [[{}, tracker.bytes]]);
    this.gauge('runlog_log_cache_max_bytes', 'LOG_CACHE_MAX_BYTES: the bound the estimate is kept under.', [], () => [[{}, config.logCacheMaxBytes]]);

    this.gauge('runlog_spool_bytes', 'Bytes of orchestrator commands spooled to disk while the database is away, not yet replayed.', [], () => [[{}, spool.spooledBytes]]);
    this.gauge('runlog_spool_max_bytes', 'RUNLOG_SPOOL_MAX_BYTES: past it, runs fail instead of the spool growing.', [], () => [[{}, config.spoolMaxBytes]]);

    this.counter('runlog_lease_sweeps_total', 'Lease sweeps by outcome: swept (judged the leases), skipped (spool not replayed yet, or database unreachable), failed.', ['outcome'], () => [
      [{ outcome: 'swept' }, sweeper.stats.swept],
      [{ outcome: 'skipped' }, sweeper.stats.skipped],
      [{ outcome: 'failed' }, sweeper.stats.failed],
    ]);
    this.counter('runlog_lease_runs_interrupted_total', 'Runs this instance finished as failed because their writer stopped renewing the lease.', [], () => [[{}, sweeper.stats.interrupted]]);
  }

  private gauge(name: string, help: string, labelNames: string[], read: () => Series): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset(); // a label set that is gone (a lane, a pool) is not reported with its last value
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  }

  /** A counter kept by its owner as a plain number (no prom-client on its path), copied at scrape time. */
  private counter(name: string, help: string, labelNames: string[], read: () => Series): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.inc(labels, value);
      },
    });
  }
}
