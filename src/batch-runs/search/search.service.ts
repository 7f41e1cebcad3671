/**
 * Search inside a run and across runs (docs/api.md, Search): the matches of a query in the lines'
 * text without ANSI codes, each with where it matched and, inside a run, the lines around it.
 * Every search is one read transaction on the read pool (one snapshot for its statements) under
 * SEARCH_STATEMENT_TIMEOUT_MS: past it, 400 search_too_broad.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { PG_READ_POOL } from '../../database/pg-pool';
import { StoredLogEntry } from '../domain/run.events';
import { RunRow } from '../persistence/run-read.repository';
import { entryJson } from '../read/formats/log-format';
import { presentRun } from '../read/formats/run.presenter';
import { RunRecord, toRunRecord } from '../read/run-record';
import { searchFailure } from './search.errors';
import { SearchPatterns, searchPatterns } from './search.pattern';
import { codePointRanges, MatchRange, MAX_RANGES_PER_LINE, substringRanges } from './search.ranges';
import { SEARCH_SQL } from './search.sql';
import { encodeSearchCursor } from './search.cursor';
import { encodeCursor, RunCursor } from '../http/run-cursor';


export interface RunSearchQuery {
  q: string;
  regex: boolean;
  level?: string;
  phase?: string;
  context: number;
  limit: number;
  /** Matches with a greater seq (the cursor's). */
  afterSeq: number;
}

export interface RunsSearchQuery {
  q: string;
  regex: boolean;
  level?: string;
  phase?: string;
  status?: string;
  portfolioId?: string;
  since?: string;
  until?: string;
  limit: number;
  before?: RunCursor;
}

interface MatchRow extends StoredLogEntry {
  batch_run_id: string;
  text: string;
  positions?: number[];
}

@Injectable()
export class SearchService {
  constructor(
    @Inject(PG_READ_POOL) private readonly readPool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async searchRun(run: RunRecord, query: RunSearchQuery) {
    const patterns = searchPatterns(query.q, query.regex);
    return this.inReadTransaction(async (client) => {
      const rows = await this.matches(client, patterns, [run.batchRunId], query.afterSeq, query.limit + 1, query);
      const { rows: count } = await client.query<{ total: number }>({
        ...SEARCH_SQL.countInRun[patterns.mode],
        values: [run.batchRunId, patterns.line, patterns.chunk, query.level ?? null, query.phase ?? null],
      });
      const page = rows.slice(0, query.limit);
      const around = await this.context(client, run.batchRunId, page, query.context);
      return {
        batch_run_id: run.batchRunId,
        q: query.q,
        regex: query.regex,
        total_matches: count[0]?.total ?? 0,
        matches: page.map((row) => ({
          entry: presentEntry(row),
          text: row.text,
          ranges: rangesOf(row, query.q, patterns),
          before: around.before(row.seq),
          after: around.after(row.seq),
        })),
        next_cursor: rows.length > query.limit && page.length ? encodeSearchCursor(page[page.length - 1].seq) : null,
      };
    });
  }

  async searchRuns(query: RunsSearchQuery) {
    const patterns = searchPatterns(query.q, query.regex);
    return this.inReadTransaction(async (client) => {
      const { rows } = await client.query<RunRow & { match_count: number; first_seqs: number[] }>({
        ...SEARCH_SQL.runsWithMatches[patterns.mode],
        values: [
          patterns.line,
          patterns.chunk,
          query.level ?? null,
          query.phase ?? null,
          query.status ?? null,
          query.portfolioId ?? null,
          query.since ?? null,
          query.until ?? null,
          query.before?.startedAt ?? null,
          query.before?.batchRunId ?? null,
          query.limit + 1, // one more than a page tells whether another page exists
        ],
      });
      const page = rows.slice(0, query.limit);
      const first = await this.entriesAt(client, patterns, page);
      const last = page[page.length - 1];
      return {
        q: query.q,
        regex: query.regex,
        runs: page.map((row) => ({
          run: presentRun(toRunRecord(row)),
          match_count: row.match_count,
          first_matches: first
            .filter((m) => m.batch_run_id === row.batch_run_id)
            .map((m) => ({ seq: m.seq, timestamp: m.timestamp, level: m.level, phase: m.phase, text: m.text, ranges: rangesOf(m, query.q, patterns) })),
        })),
        next_cursor: rows.length > query.limit && last ? encodeCursor({ startedAt: last.started_at, batchRunId: last.batch_run_id }) : null,
      };
    });
  }

  private async matches(
    client: PoolClient,
    patterns: SearchPatterns,
    runIds: string[],
    afterSeq: number,
    perRun: number,
    filter: { level?: string; phase?: string },
  ): Promise<MatchRow[]> {
    if (runIds.length === 0) return [];
    const values: unknown[] = [runIds, patterns.line, patterns.chunk, filter.level ?? null, filter.phase ?? null, afterSeq, perRun];
    if (patterns.mode === 'regex') values.push(MAX_RANGES_PER_LINE);
    const { rows } = await client.query<MatchRow>({ ...SEARCH_SQL.matchesOfRuns[patterns.mode], values });
    return rows;
  }

  /** The first matches the runs statement named (by run and seq), with their text and, for a regex, positions. */
  private async entriesAt(client: PoolClient, patterns: SearchPatterns, runs: { batch_run_id: string; first_seqs: number[] }[]): Promise<MatchRow[]> {
    const ids = runs.flatMap((r) => r.first_seqs.map(() => r.batch_run_id));
    if (ids.length === 0) return [];
    const values: unknown[] = [ids, runs.flatMap((r) => r.first_seqs)];
    if (patterns.mode === 'regex') values.push(patterns.line, MAX_RANGES_PER_LINE);
    const { rows } = await client.query<MatchRow>({ ...SEARCH_SQL.entriesAt[patterns.mode], values });
    return rows;
  }

  /** The entries around a page's matches, read in one query (the seq ranges merged), any level or phase. */
  private async context(client: PoolClient, batchRunId: string, page: MatchRow[], context: number) {
    const bySeq = new Map<number, StoredLogEntry>();
    if (context > 0 && page.length > 0) {
      const lo: number[] = [];
      const hi: number[] = [];
      for (const { seq } of page) {
        const from = Math.max(1, seq - context);
        if (hi.length && from <= hi[hi.length - 1] + 1) hi[hi.length - 1] = Math.max(hi[hi.length - 1], seq + context);
        else lo.push(from), hi.push(seq + context);
      }
      const { rows } = await client.query<StoredLogEntry>({ ...SEARCH_SQL.entriesInRanges, values: [batchRunId, lo, hi] });
      for (const row of rows) bySeq.set(row.seq, row);
    }
    const collect = (from: number, to: number) => {
      const entries: object[] = [];
      for (let s = from; s <= to; s++) {
        const entry = bySeq.get(s);
        if (entry) entries.push(presentEntry(entry));
      }
      return entries;
    };
    return { before: (seq: number) => collect(seq - context, seq - 1), after: (seq: number) => collect(seq + 1, seq + context) };
  }

  private async inReadTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.readPool.connect();
    let broken = false;
    try {
      await client.query(SEARCH_SQL.begin);
      await client.query(SEARCH_SQL.settings, [String(this.config.searchStatementTimeoutMs)]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await client.query('ROLLBACK').then(() => false, () => true);
      throw searchFailure(error, this.config.searchStatementTimeoutMs);
    } finally {
      client.release(broken);
    }
  }
}

/** An entry as every format shows it (entryJson, the one definition: trace and span ids only when set). */
function presentEntry(row: StoredLogEntry): object {
  const { seq, timestamp, level, phase, message, traceId, spanId } = row;
  return JSON.parse(entryJson({ seq, timestamp, level, phase, message, traceId, spanId } as StoredLogEntry));
}

/** Where q matched the line's text: found again in JavaScript for a substring, placed by PostgreSQL for a regex. */
function rangesOf(row: MatchRow, q: string, patterns: SearchPatterns): MatchRange[] {
  if (patterns.mode === 'regex') return codePointRanges(row.text, row.positions ?? []);
  return substringRanges(row.text, q);
}
