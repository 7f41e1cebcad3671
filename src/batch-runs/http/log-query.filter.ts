/**
 * A download's query as a LogFilter, for both download routes: around_seq=N&context=M is the primary
 * key range seq in [N-M, N+M], read as afterSeq N-M-1 and upToSeq N+M, so a link to a line reads only
 * the entries around it, whatever the log's size.
 */
import { DEFAULT_LOG_CONTEXT } from '../domain/run.limits';
import { isFiltered, LogFilter } from '../read/run-log.reader';

export interface LogQuery {
  after_seq?: number;
  level?: string;
  phase?: string;
  limit?: number;
  around_seq?: number;
  context?: number;
}

export function logFilterOf(q: LogQuery): LogFilter {
  const filter: LogFilter = { afterSeq: q.after_seq, level: q.level, phase: q.phase, limit: q.limit };
  if (q.around_seq !== undefined) {
    const context = q.context ?? DEFAULT_LOG_CONTEXT;
    filter.afterSeq = Math.max(0, q.around_seq - context - 1);
    filter.upToSeq = q.around_seq + context; // past the log's end it is bounded by the run's count (RunLogReader)
  }
  return filter;
}

/** The filter as the TXT header names it (the query's own words), or null for the whole log. */
export function describeLogFilter(q: LogQuery): string | null {
  if (!isFiltered(logFilterOf(q))) return null;
  const context = q.around_seq !== undefined ? (q.context ?? DEFAULT_LOG_CONTEXT) : undefined;
  return Object.entries({ level: q.level, phase: q.phase, after_seq: q.after_seq, around_seq: q.around_seq, context, limit: q.limit })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
