/**
 * Where a run's log is read from, cheapest first: memory (the tracker), then the JSONB snapshot plus
 * the entries written after it (when the snapshot fits in one snapshot page: its text is passed through), then the entry table alone. The run itself always comes from the
 * committed row, so a failed or partial run is never shown as completed, and memory is used only
 * when it holds every entry the row counts (a cache behind another writer is never served).
 */
import { Injectable } from '@nestjs/common';
import { StoredLogEntry } from '../domain/run.events';
import { LOG_PAGE, RunReadRepository, SNAPSHOT_PAGE } from '../persistence/run-read.repository';
import { BatchRunTracker } from './batch-run.tracker';
import { snapshotEntries, SnapshotText } from './formats/snapshot-text';
import { LogExtent, MoreAfter, NOTHING_MORE } from './log-extent';
import { RunRecord, toRunRecord } from './run-record';

export type LogSource = 'memory' | 'snapshot' | 'entries';

/** Narrows a read: entries after a seq, up to a seq, of a level, of a phase, at most limit of them. */
export interface LogFilter {
  afterSeq?: number;
  /** Only entries with seq <= upToSeq (around_seq's window is afterSeq N-M-1 and upToSeq N+M). */
  upToSeq?: number;
  level?: string;
  phase?: string;
  limit?: number;
}

export function isFiltered(filter: LogFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}

/**
 * A page of a log as it was read: entries, or a snapshot page as PostgreSQL's text of it (the formats
 * pass that text through; `snapshotEntries` parses it).
 */
export type LogPage = readonly StoredLogEntry[] | SnapshotText;

export interface RunLog {
  run: RunRecord;
  source: LogSource;
  /** The entries in seq order, a page at a time. Iterate this or `entries`, once. */
  pages: AsyncIterable<LogPage>;
  /** The same entries one by one (from `pages`). */
  entries: AsyncIterable<StoredLogEntry>;
  /** The seq range read and whether more follow: final once `pages` (or `entries`) has been read to its end. */
  extent: LogExtent;
}

function runLog(run: RunRecord, source: LogSource, pages: AsyncIterable<LogPage>, moreAfter: MoreAfter = NOTHING_MORE): RunLog {
  const extent = new LogExtent();
  const tracked = extent.track(pages, moreAfter);
  return { run, source, pages: tracked, entries: entriesOf(tracked), extent };
}

@Injectable()
export class RunLogReader {
  constructor(
    private readonly repository: RunReadRepository,
    private readonly tracker: BatchRunTracker,
  ) {}

  async findRun(batchRunId: string): Promise<RunRecord | null> {
    const row = await this.repository.findRun(batchRunId);
    return row ? toRunRecord(row) : null;
  }

  async read(batchRunId: string, filter: LogFilter = {}): Promise<RunLog | null> {
    const run = await this.findRun(batchRunId);
    return run ? this.readLog(run, filter) : null;
  }

  /** The log of a run already looked up (callers that check access first read the row once). */
  readLog(run: RunRecord, filter: LogFilter = {}): RunLog {
    const batchRunId = run.batchRunId;
    const upTo = run.entryCount;
    const cached = this.tracker.get(batchRunId);
    if (cached && cached.entries.length >= upTo) {
      // Copy the slice now: entries committed after the row was read belong to a later read.
      if (!isFiltered(filter)) return runLog(run, 'memory', inPages(cached.entries.slice(0, upTo)));
      const { entries, nextAfterSeq } = filterCached(cached.entries, upTo, filter);
      return runLog(run, 'memory', inPages(entries), () => nextAfterSeq);
    }
    if (isFiltered(filter)) {
      // The primary key range (afterSeq, bound]: a window never reads the rest of the log.
      const bound = Math.min(upTo, filter.upToSeq ?? upTo);
      return runLog(run, 'entries', this.repository.streamFilteredEntryPages(batchRunId, bound, filter), (seen) => this.moreAfter(batchRunId, upTo, bound, filter, seen));
    }
    // The snapshot serves a log it holds in one snapshot page (SNAPSHOT_PAGE entries, one query). Every
    // page of a snapshot unpacks all of it (TOAST has no partial read), so a large one read page by page
    // costs its size times its pages; the entry table reads the same entries in pages at a cost that
    // grows with the log, not its square.
    if (run.hasSnapshot && Math.min(run.snapshotSeq, upTo) <= SNAPSHOT_PAGE) {
      const snapshotSeq = Math.min(run.snapshotSeq, upTo);
      return runLog(
        run,
        'snapshot',
        concat<LogPage>(this.repository.streamSnapshot(batchRunId, snapshotSeq), this.repository.streamEntryPages(batchRunId, snapshotSeq, upTo)),
      );
    }
    return runLog(run, 'entries', this.repository.streamEntryPages(batchRunId, 0, upTo));
  }

  /**
   * After a filtered read from the entry table, whether a matching entry follows what it returned: it
   * stopped at its limit (then after its last entry) or at its upper bound (then after the bound).
   * One row at most, only when the read stopped short of the log's end.
   */
  private async moreAfter(batchRunId: string, upTo: number, bound: number, filter: LogFilter, seen: LogExtent): Promise<number | null> {
    const limited = filter.limit !== undefined && seen.count >= filter.limit && seen.lastSeq !== null;
    const from = limited ? seen.lastSeq! : bound;
    if (from >= upTo) return null;
    return (await this.repository.hasFilteredEntry(batchRunId, from, upTo, filter)) ? (seen.lastSeq ?? from) : null;
  }

  /** The whole log in memory: for small logs and tests; downloads stream `read()` instead. */
  async readAll(batchRunId: string): Promise<{ run: RunRecord; source: LogSource; entries: StoredLogEntry[] } | null> {
    const log = await this.read(batchRunId);
    if (!log) return null;
    const entries: StoredLogEntry[] = [];
    for await (const entry of log.entries) entries.push(entry);
    return { run: log.run, source: log.source, entries };
  }
}

/**
 * A filtered read of a cached log (seqs 1..upTo at indexes 0..upTo-1, contiguous: the tracker drops a
 * run with a gap): only the window's slice is looked at, then the entries after it only until one
 * matches (whether more follow, and the after_seq that reads them).
 */
export function filterCached(cached: readonly StoredLogEntry[], upTo: number, f: LogFilter): { entries: StoredLogEntry[]; nextAfterSeq: number | null } {
  const bound = Math.min(upTo, f.upToSeq ?? upTo);
  const limit = f.limit ?? Number.POSITIVE_INFINITY;
  const matches = (e: StoredLogEntry) => (f.level === undefined || e.level === f.level) && (f.phase === undefined || e.phase === f.phase);
  const entries: StoredLogEntry[] = [];
  let i = Math.max(0, f.afterSeq ?? 0);
  for (; i < bound && entries.length < limit; i++) if (matches(cached[i])) entries.push(cached[i]);
  const last = entries.length > 0 ? entries[entries.length - 1].seq : null;
  for (; i < upTo; i++) if (matches(cached[i])) return { entries, nextAfterSeq: last ?? Math.max(bound, f.afterSeq ?? 0) };
  return { entries, nextAfterSeq: null };
}

/** A cached log in pages of LOG_PAGE entries, so that a format holds one page's text at a time, not the whole log's. */
async function* inPages(entries: StoredLogEntry[]): AsyncIterable<LogPage> {
  for (let i = 0; i < entries.length; i += LOG_PAGE) yield entries.slice(i, i + LOG_PAGE);
}

async function* concat<T>(...parts: AsyncIterable<T>[]): AsyncIterable<T> {
  for (const part of parts) yield* part;
}

async function* entriesOf(pages: AsyncIterable<LogPage>): AsyncIterable<StoredLogEntry> {
  for await (const page of pages) yield* page instanceof SnapshotText ? snapshotEntries(page) : page;
}
