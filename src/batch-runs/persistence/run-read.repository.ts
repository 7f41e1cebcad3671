/**
 * Reads of the run row and of a run's log from PostgreSQL. Logs are read in pages (keyset on seq)
 * from the read pool, each page a query of its own: a download of any size holds one page of rows
 * in memory, and a database connection only while a page is fetched, never while its client reads.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL, PG_READ_POOL } from '../../database/pg-pool';
import { StoredLogEntry } from '../domain/run.events';
import { RunStateRow } from './run-state.loader';
import { SQL } from './run.sql';
import type { LogFilter } from '../read/run-log.reader';
import { SnapshotText } from '../read/formats/snapshot-text';

export interface RunRow extends RunStateRow {
  activity_log_seq: number;
  has_snapshot: boolean;
}

/**
 * Entries per page: enough that a page's round trip is a small share of its rows, few enough that a
 * page of long messages stays small in memory (5,000 entries of 900 characters took a download's
 * peak memory from 9 MiB to 62 MiB, test/api/streaming.test.ts). Snapshot pages: SNAPSHOT_PAGE.
 */
export const LOG_PAGE = 2000;

/**
 * Snapshot entries per page. A snapshot page is one text (jsonb's own output), not rows of parsed
 * objects, so it takes a fraction of their memory and can be larger (5,000 entries of 900 characters:
 * about 4.5 MB of text). Every page unpacks the whole snapshot anew (TOAST has no partial read) and a
 * page that is a slice costs more than the column's text (measured on PostgreSQL 15: two slices of
 * 2,500 entries 6.7-7.8 ms each, the whole column 8.7-10 ms), so a snapshot is served only when it
 * fits in one page: one query, the column's text itself (RunLogReader).
 */
export const SNAPSHOT_PAGE = 5000;

export interface RunListQuery {
  status?: string;
  portfolioId?: string;
  /** Rows strictly older than this (started_at, batch_run_id) pair. */
  before?: { startedAt: string; batchRunId: string };
  limit: number;
}

@Injectable()
export class RunReadRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PG_READ_POOL) private readonly readPool: Pool,
  ) {}

  async findRun(batchRunId: string): Promise<RunRow | null> {
    const { rows } = await this.pool.query<RunRow>({ ...SQL.selectRun, values: [batchRunId] });
    return rows[0] ?? null;
  }

  async listRuns(query: RunListQuery): Promise<RunRow[]> {
    const { rows } = await this.pool.query<RunRow>({
      ...SQL.listRuns,
      values: [query.status ?? null, query.portfolioId ?? null, query.before?.startedAt ?? null, query.before?.batchRunId ?? null, query.limit],
    });
    return rows;
  }

  async latestRunOfPortfolio(portfolioId: string, ownerId: string | null): Promise<RunRow | null> {
    const { rows } = await this.pool.query<RunRow>({ ...SQL.latestRunOfPortfolio, values: [portfolioId, ownerId] });
    return rows[0] ?? null;
  }

  /**
   * The snapshot's first `upToSeq` entries (the snapshot holds seqs 1..activity_log_seq in order), in
   * pages of SNAPSHOT_PAGE entries, each the snapshot's own text of them (no row, no JSON.parse per entry).
   */
  async *streamSnapshot(batchRunId: string, upToSeq: number): AsyncIterable<SnapshotText> {
    for (let from = 0; from < upToSeq; from += SNAPSHOT_PAGE) {
      const to = Math.min(from + SNAPSHOT_PAGE, upToSeq) - 1;
      const { rows } = await this.readPool.query<{ page: string; count: number }>({ ...SQL.snapshotPage, values: [batchRunId, from, to] });
      if (!rows[0] || rows[0].count <= 0) return; // no snapshot, or shorter than asked (never, by construction)
      yield new SnapshotText(rows[0].page, rows[0].count, from + 1);
      if (rows[0].count < to - from + 1) return;
    }
  }

  /** Entries with afterSeq < seq <= upToSeq from the entry table, in seq order, a page of rows at a time. */
  async *streamEntryPages(batchRunId: string, afterSeq: number, upToSeq: number): AsyncIterable<StoredLogEntry[]> {
    for (let after = afterSeq; after < upToSeq; ) {
      const { rows } = await this.readPool.query<StoredLogEntry>({ ...SQL.entriesPage, values: [batchRunId, after, upToSeq, LOG_PAGE] });
      if (rows.length > 0) yield rows;
      if (rows.length < LOG_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /** Entries with afterSeq < seq <= upToSeq from the entry table, in seq order. */
  async *streamEntries(batchRunId: string, afterSeq: number, upToSeq: number): AsyncIterable<StoredLogEntry> {
    for await (const rows of this.streamEntryPages(batchRunId, afterSeq, upToSeq)) yield* rows;
  }

  /** A narrowed read, always from the entry table (its primary key serves after_seq and order). */
  async *streamFilteredEntries(batchRunId: string, upToSeq: number, filter: LogFilter): AsyncIterable<StoredLogEntry> {
    for await (const rows of this.streamFilteredEntryPages(batchRunId, upToSeq, filter)) yield* rows;
  }

  /** Entries matching the filter with filter.afterSeq < seq <= upToSeq, at most filter.limit of them (filter.upToSeq is the caller's to fold into upToSeq). */
  async *streamFilteredEntryPages(batchRunId: string, upToSeq: number, filter: LogFilter): AsyncIterable<StoredLogEntry[]> {
    const { afterSeq = 0, level = null, phase = null, limit = Number.POSITIVE_INFINITY } = filter;
    for (let after = afterSeq, left = limit; left > 0 && after < upToSeq; ) {
      const page = Math.min(LOG_PAGE, left);
      const { rows } = await this.readPool.query<StoredLogEntry>({ ...SQL.filteredEntriesPage, values: [batchRunId, after, upToSeq, level, phase, page] });
      if (rows.length > 0) yield rows;
      if (rows.length < page) return;
      left -= rows.length;
      after = rows[rows.length - 1].seq;
    }
  }

  /** Whether an entry of the filter's level and phase has afterSeq < seq <= upToSeq: one row at most, by the primary key. */
  async hasFilteredEntry(batchRunId: string, afterSeq: number, upToSeq: number, filter: LogFilter): Promise<boolean> {
    if (afterSeq >= upToSeq) return false;
    const { rows } = await this.readPool.query({ ...SQL.filteredEntriesPage, values: [batchRunId, afterSeq, upToSeq, filter.level ?? null, filter.phase ?? null, 1] });
    return rows.length > 0;
  }
}
