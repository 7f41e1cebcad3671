/**
 * BatchRunTracker, the read cache: the runs this process writes, with their full log, in memory.
 * Bounded three ways: finished runs stay LOG_CACHE_TTL_SECONDS, at most LOG_CACHE_MAX_COMPLETED_RUNS
 * of them (least recently used out first), and all cached logs together hold about
 * LOG_CACHE_MAX_BYTES (finished runs go first; if running runs alone exceed it, the least recently
 * used of them leave the cache too: the database serves them from then on).
 * It is fed synchronously by the group committer after each commit, so it is never behind what this
 * process acknowledged; it only caches a run whose start it saw, so a cached log is complete from seq 1.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { Clock } from '../../common/clock';
import { RecordedRunEvent, StoredLogEntry } from '../domain/run.events';
import { isFinished, RunState } from '../domain/run.state';
import { CommitListener } from '../persistence/commit-listener';

export interface CachedRun {
  state: RunState;
  entries: StoredLogEntry[];
  finishedAtMs: number | null;
  bytes: number;
}

/** Rough V8 cost of one cached entry beyond its strings: the object, its seq and level, the timestamp string. */
const ENTRY_OVERHEAD_BYTES = 160;

export function entryBytes(e: StoredLogEntry): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (e.message.length + (e.phase?.length ?? 0));
}

@Injectable()
export class BatchRunTracker implements CommitListener {
  /** Map order is recency order: a read or a write moves a run to the end. */
  private readonly runs = new Map<string, CachedRun>();
  private totalBytes = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onCommitted(events: RecordedRunEvent[], states: Map<string, RunState>): void {
    for (const event of events) {
      if (event.type === 'BatchRunStarted') {
        this.runs.set(event.streamId, { state: states.get(event.streamId)!, entries: [], finishedAtMs: null, bytes: 0 });
      } else if (event.type === 'LogAppended') {
        const cached = this.runs.get(event.streamId);
        if (!cached) continue;
        if (event.data.firstSeq !== cached.entries.length + 1) {
          this.drop(event.streamId); // a gap (written elsewhere too): the database serves it from now on
          continue;
        }
        for (const entry of event.data.entries) {
          cached.entries.push(entry);
          cached.bytes += entryBytes(entry);
          this.totalBytes += entryBytes(entry);
        }
      }
    }
    for (const [id, state] of states) {
      const cached = this.runs.get(id);
      if (!cached) continue;
      cached.state = state;
      if (isFinished(state) && cached.finishedAtMs === null) cached.finishedAtMs = this.clock.now().getTime();
      this.touch(id, cached);
    }
    this.evict();
  }

  get(batchRunId: string): CachedRun | undefined {
    const cached = this.runs.get(batchRunId);
    if (!cached) return undefined;
    if (this.expired(cached)) {
      this.drop(batchRunId);
      return undefined;
    }
    this.touch(batchRunId, cached);
    return cached;
  }

  get size(): number {
    return this.runs.size;
  }

  /** The estimated bytes held by every cached log together. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Forget a run (retention deleted it). */
  drop(batchRunId: string): void {
    const cached = this.runs.get(batchRunId);
    if (!cached) return;
    this.totalBytes -= cached.bytes;
    this.runs.delete(batchRunId);
  }

  private touch(id: string, cached: CachedRun): void {
    this.runs.delete(id);
    this.runs.set(id, cached);
  }

  private expired(cached: CachedRun): boolean {
    if (cached.finishedAtMs === null) return false;
    return this.clock.now().getTime() - cached.finishedAtMs >= this.config.logCacheTtlSeconds * 1000;
  }

  private evict(): void {
    let finished = 0;
    for (const [id, cached] of this.runs) {
      if (cached.finishedAtMs === null) continue;
      if (this.expired(cached)) this.drop(id);
      else finished += 1;
    }
    // Oldest first: the least recently used finished runs go until both bounds hold.
    for (const [id, cached] of this.runs) {
      if (finished <= this.config.logCacheMaxCompletedRuns && this.totalBytes <= this.config.logCacheMaxBytes) break;
      if (cached.finishedAtMs === null) continue;
      this.drop(id);
      finished -= 1;
    }
    // Still over the byte bound: running runs too, least recently used first (their logs are in the database).
    for (const [id] of this.runs) {
      if (this.totalBytes <= this.config.logCacheMaxBytes) break;
      this.drop(id);
    }
  }
}
