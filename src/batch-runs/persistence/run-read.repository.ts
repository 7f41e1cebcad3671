/**
 * Reads of the run row and of a run's log from PostgreSQL. Logs are streamed through a cursor
 * (pg-query-stream) with backpressure, so a download of any size holds only a page of rows.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import QueryStream from 'pg-query-stream';
import { PG_POOL } from '../../database/pg-pool';
import { StoredLogEntry } from '../domain/run.events';
import { RunStateRow } from './run-state.loader';
import { SQL } from './run.sql';
import type { LogFilter } from '../read/run-log.reader';

export interface RunRow extends RunStateRow {
  activity_log_seq: number;
  has_snapshot: boolean;
}

const CURSOR_PAGE = 1000;

export interface RunListQuery {
  status?: string;
  portfolioId?: string;
  /** Rows strictly older than this (started_at, batch_run_id) pair. */
  before?: { startedAt: string; batchRunId: string };
  limit: number;
}

@Injectable()
export class RunReadRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

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

  /** The snapshot's first `upToSeq` entries (the snapshot holds seqs 1..activity_log_seq in order). */
  streamSnapshot(batchRunId: string, upToSeq: number): AsyncIterable<StoredLogEntry> {
    return this.stream(`${SQL.streamSnapshot} LIMIT $2`, [batchRunId, upToSeq], (row) => row.entry);
  }

  /** Entries with afterSeq < seq <= upToSeq from the entry table, in seq order. */
  streamEntries(batchRunId: string, afterSeq: number, upToSeq: number): AsyncIterable<StoredLogEntry> {
    return this.stream(SQL.streamEntries, [batchRunId, afterSeq, upToSeq], (row) => row as StoredLogEntry);
  }

  /** A narrowed read, always from the entry table (its primary key serves after_seq and order). */
  streamFilteredEntries(batchRunId: string, upToSeq: number, filter: LogFilter): AsyncIterable<StoredLogEntry> {
    const { afterSeq = 0, level = null, phase = null, limit = null } = filter;
    return this.stream(SQL.streamFilteredEntries, [batchRunId, afterSeq, upToSeq, level, phase, limit], (row) => row as StoredLogEntry);
  }

  private async *stream<T>(text: string, values: unknown[], map: (row: any) => T): AsyncIterable<T> {
    const client = await this.pool.connect();
    let failed = false;
    try {
      const rows = client.query(new QueryStream(text, values, { batchSize: CURSOR_PAGE }));
      try {
        for await (const row of rows) yield map(row);
      } finally {
        rows.destroy(); // a reader that stops early (client went away) closes the cursor
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.release(failed);
    }
  }
}
