/**
 * The public view of a run's events: the one place that says what an event looks like outside runlog.
 * Both the event stream (SSE) and the timeline answer these shapes, in snake_case like the rest of the
 * API. Stored payloads stay as they were written (camelCase: the event store is the source of truth and
 * is never migrated for a rename); this maps them at read time, field by field, so a field added to a
 * stored payload does not leak out undocumented.
 *
 * LogAppended has one shape in both places, {first_seq, last_seq, entry_count, levels}, and the stream
 * adds `entries`: a follower needs the lines themselves, while a timeline of a 100,000-entry run that
 * carried every line would be the log download again (that is what /logs is for). Keeping the summary
 * on the stream too means a client reads counts and ranges the same way from either.
 */
import { LogLevel } from '../domain/run.types';
import { RecordedRunEvent, StoredLogEntry } from '../domain/run.events';

export interface LogEntryView {
  seq: number;
  timestamp: string;
  level: LogLevel;
  phase: string | null;
  message: string;
  trace_id?: string;
  span_id?: string;
}

export interface LevelCountsView {
  info: number;
  warning: number;
  error: number;
}

export interface BatchRunStartedView {
  batch_run_id: string;
  portfolio_id: string | null;
  owner_id: string | null;
  total_jobs: number;
  phases: string[];
  started_at: string;
  onboarding: boolean;
}

export interface LogAppendedView {
  first_seq: number;
  last_seq: number;
  entry_count: number;
  levels: LevelCountsView;
  /** On the event stream only: the entries themselves, in seq order. */
  entries?: LogEntryView[];
}

export interface PhaseCompletedView {
  phase: string;
  status: string;
  completed_jobs: number;
  failed_jobs: number;
  completed_at: string;
  /** The last seq when the phase ended. */
  last_seq: number;
}

export interface LogEntriesDroppedView {
  count: number;
  cut_at_seq: number;
}

export interface BatchRunFinishedView {
  status: string;
  completed_jobs: number;
  failed_jobs: number;
  completed_at: string;
  last_seq: number;
  /** Why runlog itself finished the run (its writer stopped heartbeating); null when the producer did. */
  reason: string | null;
}

interface Envelope<T extends string, D> {
  version: number;
  type: T;
  occurred_at: string;
  data: D;
}

export type RunEventView =
  | Envelope<'BatchRunStarted', BatchRunStartedView>
  | Envelope<'LogAppended', LogAppendedView>
  | Envelope<'PhaseCompleted', PhaseCompletedView>
  | Envelope<'LogEntriesDropped', LogEntriesDroppedView>
  | Envelope<'BatchRunFinished', BatchRunFinishedView>;

export interface EventViewOptions {
  /** Include a LogAppended event's entries (the event stream does, the timeline does not). */
  entries: boolean;
}

/** An event as the API shows it. Pure: the same stored event always gives the same view. */
export function toEventView(event: RecordedRunEvent, options: EventViewOptions): RunEventView {
  const head = { version: event.version, occurred_at: event.occurredAt };
  switch (event.type) {
    case 'BatchRunStarted': {
      const d = event.data;
      return {
        ...head,
        type: event.type,
        data: {
          batch_run_id: d.batchRunId,
          portfolio_id: d.portfolioId ?? null,
          owner_id: d.ownerId ?? null,
          total_jobs: d.totalJobs,
          phases: d.phases,
          started_at: d.startedAt,
          // Older events carry no such field: they are not onboarding runs.
          onboarding: d.onboarding === true,
        },
      };
    }
    case 'LogAppended': {
      const d = event.data;
      const data: LogAppendedView = { first_seq: d.firstSeq, last_seq: d.lastSeq, entry_count: d.entries.length, levels: levelCounts(d.entries) };
      if (options.entries) data.entries = d.entries.map(toEntryView);
      return { ...head, type: event.type, data };
    }
    case 'PhaseCompleted': {
      const d = event.data;
      return {
        ...head,
        type: event.type,
        data: { phase: d.phase, status: d.status, completed_jobs: d.completedJobs, failed_jobs: d.failedJobs, completed_at: d.completedAt, last_seq: d.lastSeq },
      };
    }
    case 'LogEntriesDropped':
      return { ...head, type: event.type, data: { count: event.data.count, cut_at_seq: event.data.cutAtSeq } };
    case 'BatchRunFinished': {
      const d = event.data;
      return {
        ...head,
        type: event.type,
        data: { status: d.status, completed_jobs: d.completedJobs, failed_jobs: d.failedJobs, completed_at: d.completedAt, last_seq: d.lastSeq, reason: d.reason ?? null },
      };
    }
  }
}

export function levelCounts(entries: readonly StoredLogEntry[]): LevelCountsView {
  const counts: LevelCountsView = { info: 0, warning: 0, error: 0 };
  for (const e of entries) counts[e.level] += 1;
  return counts;
}

function toEntryView(e: StoredLogEntry): LogEntryView {
  const view: LogEntryView = { seq: e.seq, timestamp: e.timestamp, level: e.level, phase: e.phase ?? null, message: e.message };
  if (e.traceId) view.trace_id = e.traceId;
  if (e.spanId) view.span_id = e.spanId;
  return view;
}
