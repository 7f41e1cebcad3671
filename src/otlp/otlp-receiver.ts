/**
 * What one OTLP request does to runlog's runs (docs/api.md, "OpenTelemetry"): its records, mapped one by
 * one (otlp-mapping.ts), become the same four commands every producer sends, through the one CommandBus
 * and group commit; nothing here writes. Per run, in the request's order: the entries up to a record that
 * completes a phase are appended, then the phase is completed, and so on; a run runlog does not know is
 * started by its first record. A finish waits OTLP_FINISH_GRACE_MS first, because the OpenTelemetry SDK
 * exports its last batches concurrently: records sent before the finishing one may arrive after it, and
 * they are still stored while the run stays open. The request is answered after the finish, so an
 * exporter that loses the answer sends it again (and a record with log.record.uid is stored once).
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { setTimeout as sleep } from 'timers/promises';
import { AppendLogEntriesCommand } from '../batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../batch-runs/commands/start-batch-run/start-batch-run.command';
import { RunRuleError } from '../batch-runs/domain/run.errors';
import { MAX_ENTRIES_PER_APPEND } from '../batch-runs/domain/run.limits';
import { FinishStatus } from '../batch-runs/domain/run.types';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import type { OtlpRecord } from './otlp-decoder';
import { MappedRecord, mapRecord } from './otlp-mapping';
import type { ReceiveOutcome } from './otlp-response';

/** A run's records in request order, cut after each record that completes a phase. */
interface RunBatch {
  batchRunId: string;
  first: MappedRecord;
  segments: MappedRecord[][];
  finish: FinishStatus | null;
}

@Injectable()
export class OtlpReceiver {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(records: OtlpRecord[], receivedAtMs: number): Promise<ReceiveOutcome> {
    const outcome: ReceiveOutcome = { rejected: 0, messages: [] };
    const runs = new Map<string, RunBatch>();
    for (const record of records) {
      const mapped = mapRecord(record, receivedAtMs);
      if (!mapped.ok) {
        refuse(outcome, 1, mapped.error);
        continue;
      }
      const r = mapped.record;
      let run = runs.get(r.batchRunId);
      if (run === undefined) runs.set(r.batchRunId, (run = { batchRunId: r.batchRunId, first: r, segments: [[]], finish: null }));
      run.segments[run.segments.length - 1].push(r);
      if (r.phaseCompletion) run.segments.push([]);
      if (r.finish) run.finish = r.finish.status; // the last one asked for wins, as for repeated REST finishes
    }
    // Runs are independent: their commands go out together and join the same group commits.
    await Promise.all([...runs.values()].map((run) => this.receiveRun(run, outcome)));
    return outcome;
  }

  private async receiveRun(run: RunBatch, outcome: ReceiveOutcome): Promise<void> {
    let left = run.segments.reduce((n, s) => n + s.length, 0);
    for (const segment of run.segments) {
      for (let i = 0; i < segment.length; i += MAX_ENTRIES_PER_APPEND) {
        const part = segment.slice(i, i + MAX_ENTRIES_PER_APPEND);
        const refused = await this.append(run, part);
        if (refused) return refuse(outcome, left, refused);
        left -= part.length;
      }
      const completion = segment.length > 0 ? segment[segment.length - 1].phaseCompletion : null;
      if (completion) {
        const refused = await ruleRefusal(this.commandBus.execute(new CompletePhaseCommand({ batchRunId: run.batchRunId, ...completion })));
        if (refused) outcome.messages.push(`the phase ${JSON.stringify(completion.phase)} was not completed: ${refused}`);
      }
    }
    if (run.finish === null) return;
    if (this.config.otlpFinishGraceMs > 0) await sleep(this.config.otlpFinishGraceMs);
    const refused = await ruleRefusal(this.commandBus.execute(new FinishBatchRunCommand({ batchRunId: run.batchRunId, status: run.finish })));
    if (refused) outcome.messages.push(`the run was not finished: ${refused}`);
  }

  /** Appends the records' entries, starting the run first when runlog does not know it; a rule's refusal is returned. */
  private async append(run: RunBatch, records: MappedRecord[]): Promise<string | null> {
    const command = new AppendLogEntriesCommand({ batchRunId: run.batchRunId, entries: records.map((r) => r.entry) });
    try {
      await this.commandBus.execute(command);
      return null;
    } catch (error) {
      if (!(error instanceof RunRuleError)) throw error; // the database: the whole request is a 503, retried by the exporter
      if (error.code !== 'run_not_found') return error.message;
    }
    const started = await ruleRefusal(
      this.commandBus.execute(
        new StartBatchRunCommand({
          batchRunId: run.batchRunId,
          portfolioId: run.first.portfolioId,
          ownerId: run.first.ownerId,
          startedAt: new Date(run.first.timeMs),
        }),
      ),
      'run_exists', // another request of the run started it meanwhile
    );
    if (started) return `the run could not be started: ${started}`;
    return ruleRefusal(this.commandBus.execute(command));
  }
}

function refuse(outcome: ReceiveOutcome, records: number, message: string): void {
  outcome.rejected += records;
  for (let i = 0; i < records; i += 1) outcome.messages.push(message);
}

/** null when the command was taken (or refused only with one of `fine`), else the rule's message; other errors propagate. */
async function ruleRefusal(done: Promise<unknown>, ...fine: string[]): Promise<string | null> {
  try {
    await done;
    return null;
  } catch (error) {
    if (!(error instanceof RunRuleError)) throw error;
    return fine.includes(error.code) ? null : error.message;
  }
}
