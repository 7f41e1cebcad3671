/**
 * BatchRunTracker, the read cache: the runs this process writes, with their full log, in memory.
 * Bounded three ways: finished runs stay LOG_CACHE_TTL_SECONDS, at most LOG_CACHE_MAX_COMPLETED_RUNS
 * of them (least recently used out first), and the estimated heap of all cached logs together never
 * exceeds LOG_CACHE_MAX_BYTES after a commit (finished runs go first; if running runs alone exceed it,
 * the least recently used of them leave the cache too: the database serves them from then on).
 * It is fed synchronously by the group committer after each commit, so it is never behind what this
 * process acknowledged; it only caches a run whose start it saw, so a cached log is complete from seq 1.
 *
 * The estimate is what V8 really holds for an entry (test/core/cache-memory.test.ts measures it with
 * a forced GC, within 25% for ASCII, Latin-1 and CJK text of 10 to 2000 characters). To keep it true
 * the cache stores its own copy of each entry, in one shape, whose strings retain nothing else.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { Clock } from '../../common/clock';
import { RecordedRunEvent, StoredLogEntry } from '../domain/run.events';
import { isFinished, RunState } from '../domain/run.state';
import { LogLevel } from '../domain/run.types';
import { CommitListener } from '../persistence/commit-listener';

export interface CachedRun {
  state: RunState;
  entries: StoredLogEntry[];
  finishedAtMs: number | null;
  bytes: number;
  /** Each phase name once: entries of a phase share one string instead of each holding a copy. */
  phases: Map<string, string>;
}

/*
 * Heap sizes on 64-bit V8 without pointer compression (how Node is built), measured by
 * test/core/cache-memory.test.ts, which fails if they drift by more than 25%.
 */
/** The entry object: map, properties and elements pointers plus five in-object fields, 8 bytes each. */
const ENTRY_OBJECT_BYTES = 64;
/** Its slot in the run's entries array, with the array's growth slack (capacity grows by 1.5x + 16). */
const ARRAY_SLOT_BYTES = 10;
/** An entry with trace and span ids has two more in-object properties (estimated, 8 bytes each: not measured like the rest). */
const TRACE_PROPERTIES_BYTES = 16;
/** A sequential string: map, hash and length (16 bytes), then its characters, rounded up to 8 bytes. */
const STRING_HEADER_BYTES = 16;
/** The run's own objects: its state, this record, its Map entry, the empty array (844 B measured with three phases). */
const RUN_OVERHEAD_BYTES = 1024;
/** V8 stores a string with one byte per character when every character is Latin-1, else two. */
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
/** V8 never slices or concatenates strings shorter than 13 characters: they are always flat copies. */
const SHORTEST_SHARED_STRING = 13;
/** The levels as constants, so no entry holds a level string of its own. */
const LEVELS: Record<LogLevel, LogLevel> = { info: 'info', warning: 'warning', error: 'error' };

/** The heap a flat string of this text takes. */
export function stringBytes(text: string): number {
  const chars = BEYOND_LATIN1.test(text) ? 2 * text.length : text.length;
  return Math.ceil((STRING_HEADER_BYTES + chars) / 8) * 8;
}

/** The heap one cached entry takes when its timestamp and phase strings are its own. */
export function entryBytes(e: StoredLogEntry): number {
  return ENTRY_OBJECT_BYTES + ARRAY_SLOT_BYTES + stringBytes(e.timestamp) + stringBytes(e.message) + (e.phase === null ? 0 : stringBytes(e.phase)) + traceBytes(e);
}

/** Trace and span ids, on the few entries that have them: two more properties and their strings. */
function traceBytes(e: StoredLogEntry): number {
  if (!e.traceId && !e.spanId) return 0;
  return TRACE_PROPERTIES_BYTES + (e.traceId ? stringBytes(e.traceId) : 0) + (e.spanId ? stringBytes(e.spanId) : 0);
}

/**
 * A copy of a string that retains nothing else. A sliced string (what .slice() or .substring() of a
 * longer text gives) keeps its whole parent alive, a job's captured output of megabytes for a line
 * of 200 characters, and a concatenated one keeps its parts; the cache would then hold far more than
 * it counts. JSON's round trip always builds a new sequential string (one byte per character when it
 * can) and is lossless for every string, lone surrogates included.
 */
function ownCopy(text: string): string {
  return text.length < SHORTEST_SHARED_STRING ? text : (JSON.parse(JSON.stringify(text)) as string);
}

@Injectable()
export class BatchRunTracker implements CommitListener {
  /** Map order is recency order: a read or a write moves a run to the end. */
  private readonly runs = new Map<string, CachedRun>();
  /**
   * The cached finished runs in the order they finished (with when): those past their TTL are at the
   * front, so a commit looks at them only, not at every cached run (a scan of all of them was on every
   * group commit, a cost that grew with the cache).
   */
  private readonly finishedInOrder = new Map<string, number>();
  private totalBytes = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onCommitted(events: RecordedRunEvent[], states: Map<string, RunState>): void {
    for (const event of events) {
      if (event.type === 'BatchRunStarted') {
        this.drop(event.streamId); // an id started again while its old log is cached: counted once, not twice
        const run: CachedRun = { state: states.get(event.streamId)!, entries: [], finishedAtMs: null, bytes: RUN_OVERHEAD_BYTES, phases: new Map() };
        this.runs.set(event.streamId, run);
        this.totalBytes += RUN_OVERHEAD_BYTES;
      } else if (event.type === 'LogAppended') {
        const cached = this.runs.get(event.streamId);
        if (!cached) continue;
        if (event.data.firstSeq !== cached.entries.length + 1) {
          this.drop(event.streamId); // a gap (written elsewhere too): the database serves it from now on
          continue;
        }
        for (const entry of event.data.entries) this.add(cached, entry);
      }
    }
    for (const [id, state] of states) {
      const cached = this.runs.get(id);
      if (!cached) continue;
      cached.state = state;
      if (isFinished(state) && cached.finishedAtMs === null) {
        cached.finishedAtMs = this.clock.now().getTime();
        this.finishedInOrder.set(id, cached.finishedAtMs);
      }
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

  /** The heap every cached log takes together, as estimated (kept under LOG_CACHE_MAX_BYTES). */
  get estimatedBytes(): number {
    return this.totalBytes;
  }

  /** The same as estimatedBytes (its older name). */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Forget a run (retention deleted it). */
  drop(batchRunId: string): void {
    const cached = this.runs.get(batchRunId);
    if (!cached) return;
    this.totalBytes -= cached.bytes;
    this.runs.delete(batchRunId);
    this.finishedInOrder.delete(batchRunId);
  }

  /**
   * Caches the entry as a copy of its own. Strings shared with the previous entry or the run are
   * shared, not copied: a batch's entries without a timestamp of their own got the same one, and
   * the entries of a phase name it alike.
   */
  private add(run: CachedRun, entry: StoredLogEntry): void {
    const previous = run.entries.length > 0 ? run.entries[run.entries.length - 1] : undefined;
    let bytes = ENTRY_OBJECT_BYTES + ARRAY_SLOT_BYTES;
    let timestamp = entry.timestamp;
    if (previous !== undefined && previous.timestamp === timestamp) {
      timestamp = previous.timestamp;
    } else {
      timestamp = ownCopy(timestamp);
      bytes += stringBytes(timestamp);
    }
    let phase = entry.phase;
    if (phase !== null) {
      const known = run.phases.get(phase);
      if (known === undefined) {
        phase = ownCopy(phase);
        run.phases.set(phase, phase);
        bytes += stringBytes(phase);
      } else {
        phase = known;
      }
    }
    const message = ownCopy(entry.message);
    bytes += stringBytes(message);
    const level = LEVELS[entry.level] ?? entry.level;
    let cached: StoredLogEntry;
    if (entry.traceId || entry.spanId) {
      // One literal with every key (two more in-object slots); the ids are copies of their own, as they may be slices of a decoded request.
      cached = { seq: entry.seq, timestamp, level, phase, message, traceId: ownCopy(entry.traceId ?? ''), spanId: ownCopy(entry.spanId ?? '') };
      bytes += traceBytes(cached);
    } else {
      cached = { seq: entry.seq, timestamp, level, phase, message };
    }
    run.entries.push(cached);
    run.bytes += bytes;
    this.totalBytes += bytes;
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
    const now = this.clock.now().getTime();
    const ttlMs = this.config.logCacheTtlSeconds * 1000;
    for (const [id, finishedAtMs] of this.finishedInOrder) {
      if (now - finishedAtMs < ttlMs) break; // the rest finished later
      this.drop(id);
    }
    const withinBounds = () => this.finishedInOrder.size <= this.config.logCacheMaxCompletedRuns && this.totalBytes <= this.config.logCacheMaxBytes;
    if (withinBounds()) return; // the usual commit: nothing more to look at
    // Oldest first: the least recently used finished runs go until both bounds hold.
    for (const [id, cached] of this.runs) {
      if (withinBounds()) break;
      if (cached.finishedAtMs !== null) this.drop(id);
    }
    // Still over the byte bound: running runs too, least recently used first (their logs are in the database).
    for (const [id] of this.runs) {
      if (this.totalBytes <= this.config.logCacheMaxBytes) break;
      this.drop(id);
    }
  }
}
