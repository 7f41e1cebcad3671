/**
 * The search index's maintenance, in the background: every SEARCH_INDEX_INTERVAL_MS it turns the
 * entries past each run's watermark into chunk documents (search.sql.ts) and advances the watermark,
 * in one transaction per run. The write path never waits for it: a commit stores entries only, and
 * search scans what is not indexed yet, so the index may lag without a search missing anything.
 *
 * Its share of the database is bounded by SEARCH_INDEX_BATCH_ENTRIES per tick. A crash between two
 * statements rolls the whole step back (chunks and watermark move together); two instances never
 * index one run at once (a transaction-scoped advisory lock per run, skipped when taken), and the
 * watermark moves only from the value the step started at.
 *
 * Which runs to look at: as a commit listener it knows the runs this instance wrote lines or a finish
 * to, and a tick looks those up by key. Every run is scanned for work only at start, every
 * SEARCH_INDEX_SCAN_MS, and again on each tick while a scan finds some: that is what finds the runs of an
 * instance that died, rows loaded by SQL, or a rebuilt projection. (Scanning every run on every tick
 * cost a read of the whole run table per second and instance, growing with the history kept.)
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { PG_POOL } from '../../database/pg-pool';
import { RecordedRunEvent } from '../domain/run.events';
import { CommitListener } from '../persistence/commit-listener';
import { CHUNK_LINES, SEARCH_SQL } from './search.sql';

export interface IndexReport {
  /** Runs whose watermark moved. */
  runs: number;
  /** Entries indexed (the watermarks moved by this much together). */
  entries: number;
}

/** Runs looked at per tick: the budget is in entries, this only bounds one query's answer. */
const RUNS_PER_TICK = 50;
/** Runs remembered as written; past this many, they are forgotten and the next tick scans every run instead. */
const MAX_WRITTEN_RUNS = 10_000;

@Injectable()
export class SearchIndexer implements CommitListener, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SearchIndexer.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<IndexReport> | null = null;
  private stopped = false;
  /** Commits of this instance with lines or a finish, counted: a tick tells by it whether any came meanwhile. */
  private commits = 0;
  /** The runs this instance wrote lines or a finish to, with the commit count of the last one. */
  private readonly written = new Map<string, number>();
  /** When every run is to be scanned next (0: at the next tick). */
  private sweepDueAt = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onCommitted(events: RecordedRunEvent[]): void {
    for (const event of events) {
      if (event.type !== 'LogAppended' && event.type !== 'BatchRunFinished') continue;
      this.commits += 1;
      this.written.delete(event.streamId); // re-inserted: the longest unwritten first
      this.written.set(event.streamId, this.commits);
    }
    if (this.written.size > MAX_WRITTEN_RUNS) {
      this.written.clear();
      this.sweepDueAt = 0;
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reportIndex();
    if (this.config.searchIndexIntervalMs > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One tick: up to `budget` entries of the runs waiting longest. One pass at a time per process. */
  indexOnce(budget = this.config.searchIndexBatchEntries): Promise<IndexReport> {
    this.running ??= this.indexPending(budget).finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Ticks follow each other (a slow one is never overlapped by the next); the timer never holds the process.
   * The next tick comes at once when this one used its whole budget (a backlog is left) and this instance
   * committed nothing meanwhile: an idle service catches up at full speed, a busy one indexes one budget
   * per interval. (Another instance's writes are not seen; its own indexer backs off for it.)
   */
  private schedule(delay = this.config.searchIndexIntervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const commits = this.commits;
      const budget = this.config.searchIndexBatchEntries;
      void this.indexOnce(budget)
        .then(
          (report) => (report.entries > budget - CHUNK_LINES && this.commits === commits ? 0 : undefined),
          (error) => void this.logger.warn(`search indexer: ${(error as Error).message}; retrying next tick`),
        )
        .then((next) => this.schedule(next));
    }, delay);
    this.timer.unref();
  }

  private async indexPending(budget: number): Promise<IndexReport> {
    const report: IndexReport = { runs: 0, entries: 0 };
    for (const batchRunId of await this.pendingRuns()) {
      if (budget < CHUNK_LINES || this.stopped) break;
      const indexed = await this.indexRun(batchRunId, budget);
      if (indexed > 0) report.runs += 1;
      report.entries += indexed;
      budget -= indexed;
    }
    return report;
  }

  /**
   * The runs with lines to index, the longest waiting first: of the runs this instance wrote to, by key;
   * of every run, by a scan, when one is due. A written run found with nothing to index is forgotten
   * until its next commit (when the answer was not cut at RUNS_PER_TICK, which would leave it unseen).
   */
  private async pendingRuns(): Promise<string[]> {
    const now = Date.now();
    const asOf = this.commits;
    if (now >= this.sweepDueAt) {
      const { rows } = await this.pool.query<{ batch_run_id: string }>({ ...SEARCH_SQL.pendingRuns, values: [CHUNK_LINES, RUNS_PER_TICK] });
      // A scan that found work comes again next tick (a backlog, or another instance's runs); one that found none, in SEARCH_INDEX_SCAN_MS.
      this.sweepDueAt = rows.length > 0 ? 0 : now + this.config.searchIndexScanMs;
      const ids = rows.map((r) => r.batch_run_id);
      if (rows.length < RUNS_PER_TICK) this.forgetCaughtUp([...this.written.keys()], new Set(ids), asOf); // the scan saw every run with work
      return ids;
    }
    if (this.written.size === 0) return [];
    const candidates = [...this.written.keys()];
    const { rows } = await this.pool.query<{ batch_run_id: string }>({ ...SEARCH_SQL.pendingAmong, values: [CHUNK_LINES, RUNS_PER_TICK, candidates] });
    const ids = rows.map((r) => r.batch_run_id);
    if (rows.length < RUNS_PER_TICK) this.forgetCaughtUp(candidates, new Set(ids), asOf);
    return ids;
  }

  /** The written runs found with nothing to index are forgotten, unless written again since the lookup began. */
  private forgetCaughtUp(candidates: string[], pending: ReadonlySet<string>, asOf: number): void {
    for (const id of candidates) {
      const lastWrite = this.written.get(id);
      if (!pending.has(id) && lastWrite !== undefined && lastWrite <= asOf) this.written.delete(id);
    }
  }

  /** One run's next chunks and its watermark, in one transaction under the run's indexer lock; the entries indexed. */
  async indexRun(batchRunId: string, budget: number): Promise<number> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ locked: boolean }>({ ...SEARCH_SQL.lockRun, values: [batchRunId] });
      if (!lock.rows[0]?.locked) {
        await client.query('ROLLBACK'); // another instance is indexing this run now
        return 0;
      }
      // Read after the lock is held: this statement's snapshot sees any step another instance committed.
      const { rows } = await client.query<{ from_seq: number; to_seq: number }>({ ...SEARCH_SQL.writeChunks, values: [batchRunId, budget, CHUNK_LINES] });
      const step = rows[0];
      if (!step || step.to_seq <= step.from_seq) {
        await client.query('ROLLBACK');
        return 0;
      }
      const moved = await client.query({ ...SEARCH_SQL.advanceWatermark, values: [batchRunId, step.from_seq, step.to_seq] });
      if (moved.rowCount !== 1) {
        await client.query('ROLLBACK'); // the run is gone (retention), or its watermark moved: nothing is kept
        return 0;
      }
      await client.query('COMMIT');
      return step.to_seq - step.from_seq;
    } catch (error) {
      broken = await client.query('ROLLBACK').then(() => false, () => true);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Says at start whether search has its trigram index; without pg_trgm it scans the chunks (still complete). */
  private async reportIndex(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ indexed: boolean }>(SEARCH_SQL.hasTrigramIndex);
      if (!rows[0]?.indexed) {
        this.logger.warn('search: pg_trgm is not available, so the chunk table has no trigram index; searches scan it (complete, slower)');
      }
    } catch {
      // the database is not reachable yet: the first tick's failure says so
    }
  }
}
