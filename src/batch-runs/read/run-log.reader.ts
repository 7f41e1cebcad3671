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
import { RunRecord, toRunRecord } from './run-record';

export type LogSource = 'memory' | 'snapshot' | 'entries';

/** Narrows a read: entries after a seq, of a level, of a phase, at most limit of them. */
export interface LogFilter {
  afterSeq?: number;
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
}

function runLog(run: RunRecord, source: LogSource, pages: AsyncIterable<LogPage>): RunLog {
  return { run, source, pages, entries: entriesOf(pages) };
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
      return runLog(run, 'memory', inPages(applyFilter(cached.entries.slice(0, upTo), filter)));
    }
    if (isFiltered(filter)) {
      return runLog(run, 'entries', this.repository.streamFilteredEntryPages(batchRunId, upTo, filter));
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

  /** The whole log in memory: for small logs and tests; downloads stream `read()` instead. */
  async readAll(batchRunId: string): Promise<{ run: RunRecord; source: LogSource; entries: StoredLogEntry[] } | null> {
    const log = await this.read(batchRunId);
    if (!log) return null;
    const entries: StoredLogEntry[] = [];
    for await (const entry of log.entries) entries.push(entry);
    return { run: log.run, source: log.source, entries };
  }
}

function applyFilter(entries: StoredLogEntry[], f: LogFilter): StoredLogEntry[] {
  if (!isFiltered(f)) return entries;
  const matching = entries.filter(
    (e) =>
      (f.afterSeq === undefined || e.seq > f.afterSeq) &&
      (f.level === undefined || e.level === f.level) &&
      (f.phase === undefined || e.phase === f.phase),
  );
  return f.limit === undefined ? matching : matching.slice(0, f.limit);
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
