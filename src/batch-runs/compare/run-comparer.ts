/**
 * A run compared with another: the two runs, their phases side by side (status, duration, entries),
 * and the lines only in one or the other after normalisation (line-diff.ts). Both logs are streamed
 * through RunLogReader, whichever source serves them, a page at a time.
 */
import { Injectable } from '@nestjs/common';
import { noComparableRun, runNotFound } from '../domain/run.errors';
import { PhaseState } from '../domain/run.state';
import { ComparableRunsRepository } from '../persistence/comparable-runs.repository';
import { presentRun, RunJson } from '../read/formats/run.presenter';
import { RunLogReader } from '../read/run-log.reader';
import { RunRecord } from '../read/run-record';
import { batchNameOf, batchNamePrefix } from './batch-name';
import { BATCH_NAME_MAX_CANDIDATES, COMPARE_MAX_ENTRIES, LAST_COMPLETED } from './compare.limits';
import { DiffLine, diffLines, RunSide } from './line-diff';
import { NORMALISATION_RULES } from './normalise-message';

export interface PhaseSide {
  status: string;
  duration_ms: number | null;
  entry_count: number;
}

export interface ComparedPhase {
  name: string;
  run: PhaseSide | null;
  other: PhaseSide | null;
}

export interface Comparison {
  run: RunJson;
  other: RunJson;
  phases: ComparedPhase[];
  only_in_run: DiffLine[];
  only_in_other: DiffLine[];
  truncated: boolean;
  normalisation: string[];
}

@Injectable()
export class RunComparer {
  constructor(
    private readonly reader: RunLogReader,
    private readonly comparable: ComparableRunsRepository,
  ) {}

  /** `withId` is a run id or LAST_COMPLETED. */
  async compare(batchRunId: string, withId: string, limit: number): Promise<Comparison> {
    const run = await this.findRun(batchRunId);
    const other = await this.findRun(withId === LAST_COMPLETED ? await this.lastCompleted(run) : withId);
    const diff = await diffLines(this.side(run), this.side(other), { limit, maxEntries: COMPARE_MAX_ENTRIES });
    return {
      run: presentRun(run),
      other: presentRun(other),
      phases: sideBySide(run, diff.phaseCountsA, other, diff.phaseCountsB),
      only_in_run: diff.onlyInA,
      only_in_other: diff.onlyInB,
      truncated: diff.truncated,
      normalisation: [...NORMALISATION_RULES],
    };
  }

  /** The newest completed run other than this one, of the same portfolio; without a portfolio, of the same batch name. */
  private async lastCompleted(run: RunRecord): Promise<string> {
    if (run.portfolioId) {
      const id = await this.comparable.lastCompletedOfPortfolio(run.portfolioId, run.batchRunId);
      if (!id) throw noComparableRun(run.batchRunId, `portfolio ${run.portfolioId}`);
      return id;
    }
    const name = batchNameOf(run.batchRunId);
    const id = name
      ? await this.comparable.lastCompletedWithoutPortfolio(run.batchRunId, batchNamePrefix(run.batchRunId), (candidate) => batchNameOf(candidate) === name, BATCH_NAME_MAX_CANDIDATES)
      : null;
    if (!id) throw noComparableRun(run.batchRunId, name ? `batch ${name} (runs without a portfolio)` : 'its batch (its id names none)');
    return id;
  }

  private side(run: RunRecord): RunSide {
    // Past the cap, read only the entries compared: the reader stops there instead of the diff discarding the rest.
    const filter = run.entryCount > COMPARE_MAX_ENTRIES ? { limit: COMPARE_MAX_ENTRIES } : {};
    return { entryCount: run.entryCount, read: () => this.reader.readLog(run, filter).entries };
  }

  private async findRun(batchRunId: string): Promise<RunRecord> {
    const run = await this.reader.findRun(batchRunId);
    if (!run) throw runNotFound(batchRunId);
    return run;
  }
}

/** The union of both runs' phases: the run's in its order, then the other's it lacks, in the other's order. */
function sideBySide(run: RunRecord, runCounts: Map<string | null, number>, other: RunRecord, otherCounts: Map<string | null, number>): ComparedPhase[] {
  const names = [...run.phases.map((p) => p.name), ...other.phases.map((p) => p.name)];
  return [...new Set(names)].map((name) => ({
    name,
    run: phaseSide(run, name, runCounts),
    other: phaseSide(other, name, otherCounts),
  }));
}

function phaseSide(run: RunRecord, name: string, counts: Map<string | null, number>): PhaseSide | null {
  const i = run.phases.findIndex((p) => p.name === name);
  if (i < 0) return null;
  const phase = run.phases[i];
  return { status: phase.status, duration_ms: durationMs(run, i, phase), entry_count: counts.get(name) ?? 0 };
}

/**
 * From the phase's start to its end; null until it has ended (or if it never started). A phase that
 * logged nothing before it ended starts when the one before it ended, or when the run started (as the timeline has it).
 */
function durationMs(run: RunRecord, index: number, phase: PhaseState): number | null {
  if (!phase.completedAt || phase.status === 'pending') return null;
  const startedAt = phase.startedAt ?? run.phases[index - 1]?.completedAt ?? run.startedAt;
  return startedAt ? Math.max(0, Date.parse(phase.completedAt) - Date.parse(startedAt)) : null;
}
