/**
 * A run's timeline, rebuilt from its event stream alone: the phases on a time axis with what each
 * logged, and the events themselves. Given a moment, it is the run as it stood then: only events
 * committed by that moment are folded. Events are shown as src/batch-runs/read/event-view.ts defines
 * them, the event stream's shapes; LogAppended without its entries (seq range and counts per level):
 * the entries themselves are what the log download is for.
 */
import { RecordedRunEvent } from '../domain/run.events';
import { evolve, initialRunState, RunState } from '../domain/run.state';
import { RunEventView, toEventView } from './event-view';

export interface TimelinePhase {
  name: string;
  status: string;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  entry_count: number;
  warning_count: number;
  error_count: number;
}

export type TimelineEvent = RunEventView;

/** Everything but the events, which are sent one by one as they are folded (never held together). */
export interface TimelineSummary {
  status: string;
  started_at: string | null;
  completed_at: string | null;
  at: string | null;
  entry_count: number;
  phases: TimelinePhase[];
}

interface Counts {
  entries: number;
  warnings: number;
  errors: number;
}

export class TimelineBuilder {
  private state: RunState;
  private readonly counts = new Map<string | null, Counts>();

  constructor(
    batchRunId: string,
    private readonly at: Date | null = null,
  ) {
    this.state = initialRunState(batchRunId);
  }

  /** Folds one event and returns it as the timeline shows it; null once events lie beyond the requested moment. */
  add(event: RecordedRunEvent): TimelineEvent | null {
    if (this.at && Date.parse(event.occurredAt) > this.at.getTime()) return null;
    this.state = evolve(this.state, event);
    if (event.type === 'LogAppended') this.countByPhase(event.data.entries);
    return toEventView(event, { entries: false });
  }

  /** The run as of the events added so far. */
  summary(now: Date): TimelineSummary {
    const s = this.state;
    const end = this.at ?? now;
    return {
      status: s.status,
      started_at: s.startedAt,
      completed_at: s.completedAt,
      at: this.at ? this.at.toISOString() : null,
      entry_count: s.lastSeq,
      phases: s.phases.map((p, i) => {
        // A phase that logged nothing starts when the one before it ended (or when the run started).
        const startedAt = p.startedAt ?? (p.status === 'pending' ? null : (s.phases[i - 1]?.completedAt ?? s.startedAt));
        const c = this.counts.get(p.name) ?? { entries: 0, warnings: 0, errors: 0 };
        const until = p.completedAt ?? (p.status === 'running' && s.status === 'running' ? end.toISOString() : null);
        return {
          name: p.name,
          status: p.status,
          started_at: startedAt,
          completed_at: p.completedAt,
          duration_ms: startedAt && until ? Math.max(0, Date.parse(until) - Date.parse(startedAt)) : null,
          entry_count: c.entries,
          warning_count: c.warnings,
          error_count: c.errors,
        };
      }),
    };
  }

  private countByPhase(entries: ReadonlyArray<{ level: string; phase: string | null }>): void {
    for (const e of entries) {
      const c = this.counts.get(e.phase) ?? { entries: 0, warnings: 0, errors: 0 };
      c.entries += 1;
      if (e.level === 'warning') c.warnings += 1;
      if (e.level === 'error') c.errors += 1;
      this.counts.set(e.phase, c);
    }
  }
}
