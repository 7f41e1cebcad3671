/**
 * The answers of the ingestion and admin routes, as OpenAPI components: what run.presenter.ts and the
 * controllers return, with the limits of run.limits.ts. Documentation only: nothing validates these at
 * run time; test/api/contract.test.ts checks every answer against them.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { BATCH_RUN_ID_PATTERN, MAX_COUNT, MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from '../../domain/run.limits';
import { LOG_LEVELS, RUN_STATUSES } from '../../domain/run.types';

const count = (description?: string) => ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT, description });
const runId = (description = "The run's id.") => ApiProperty({ pattern: BATCH_RUN_ID_PATTERN.source, example: 'nightly-import-2026-01-11', description });
const moment = (description: string, nullable = false) => ApiProperty({ type: 'string', format: 'date-time', nullable, description });

@ApiSchema({ name: 'Run', description: 'A run, wherever one is returned (docs/api.md, The run).' })
export class RunSchema {
  @runId()
  batch_run_id: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  portfolio_id: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'The user (token sub) who owns the run.' })
  owner_id: string | null;

  @ApiProperty({ enum: RUN_STATUSES, description: 'The stored status.' })
  status: string;

  @moment('When the run started (UTC, milliseconds).')
  started_at: string;

  @moment('When the run finished; null while it runs.', true)
  completed_at: string | null;

  @count()
  total_jobs: number;

  @count()
  completed_jobs: number;

  @count()
  failed_jobs: number;

  @count('Entries refused after the log reached MAX_ENTRIES_PER_RUN (counted, not stored).')
  dropped_entries: number;
}

@ApiSchema({ name: 'StartedRun', description: 'The answer to a start.' })
export class StartedRunSchema {
  @runId()
  batch_run_id: string;

  @ApiProperty({ enum: ['running'] })
  status: string;

  @moment('When the run started.')
  started_at: string;
}

@ApiSchema({ name: 'Appended' })
export class AppendedSchema {
  @count('Entries stored by this request (those whose seq was stored already are not counted).')
  appended: number;

  @count("The run's last seq.")
  last_seq: number;
}

@ApiSchema({ name: 'Heartbeat' })
export class HeartbeatSchema {
  @runId()
  batch_run_id: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'How long the renewed lease lasts (RUN_LEASE_SECONDS).' })
  lease_seconds: number;
}

@ApiSchema({ name: 'RunListItem', description: 'A run in the admin list: the run, its current phase and its log size.' })
export class RunListItemSchema extends RunSchema {
  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_PHASE_LENGTH })
  current_phase: string | null;

  @count()
  log_entry_count: number;
}

@ApiSchema({ name: 'RunListPage', description: 'A page of the admin list, newest first.' })
export class RunListPageSchema {
  @ApiProperty({ type: [RunListItemSchema] })
  runs: RunListItemSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor for the next page; null on the last page.' })
  next_cursor: string | null;
}

@ApiSchema({ name: 'Phase' })
export class PhaseSchema {
  @ApiProperty({ minLength: 1, maxLength: MAX_PHASE_LENGTH })
  name: string;

  @ApiProperty({ enum: ['pending', 'running', 'completed', 'failed'] })
  status: string;

  @moment('Null while pending.', true)
  started_at: string | null;

  @moment('Null until it ends.', true)
  completed_at: string | null;

  @count()
  completed_jobs: number;

  @count()
  failed_jobs: number;
}

@ApiSchema({ name: 'RunDetails', description: 'One run with its current phase, log size and phases.' })
export class RunDetailsSchema extends RunListItemSchema {
  @ApiProperty({ type: [PhaseSchema] })
  phases: PhaseSchema[];
}

@ApiSchema({ name: 'EntryCount' })
export class EntryCountSchema {
  @runId()
  batch_run_id: string;

  @count()
  count: number;
}

@ApiSchema({ name: 'LogEntry', description: 'A stored log entry, as every download format shows it.' })
export class LogEntrySchema {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_COUNT })
  seq: number;

  @moment('When the line was produced (UTC, milliseconds).')
  timestamp: string;

  @ApiProperty({ enum: LOG_LEVELS })
  level: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_PHASE_LENGTH })
  phase: string | null;

  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  message: string;

  @ApiProperty({ required: false, pattern: TRACE_ID_PATTERN.source, description: 'The trace the line was written in (entries from OTLP producers that had one).' })
  trace_id?: string;

  @ApiProperty({ required: false, pattern: SPAN_ID_PATTERN.source, description: 'The span the line was written in.' })
  span_id?: string;
}

@ApiSchema({ name: 'LogDocument', description: 'A log downloaded as json: the run, where it was read from, its entries and their number.' })
export class LogDocumentSchema extends RunSchema {
  @ApiProperty({ enum: ['memory', 'snapshot', 'entries'], description: 'Where the log was read from.' })
  source: string;

  @ApiProperty({ type: [LogEntrySchema] })
  entries: LogEntrySchema[];

  @count('The entries in this answer, after filters.')
  entry_count: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_COUNT, nullable: true, description: 'The seq of the first entry returned; null when none.' })
  first_seq: number | null;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_COUNT, nullable: true, description: 'The seq of the last entry returned; null when none.' })
  last_seq: number | null;

  @count("The run's stored entry count (X-Runlog-Total-Entries).")
  total_entries: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT, nullable: true, description: 'Non-null when more entries matching the filter follow: pass it as after_seq. Null: nothing more is stored.' })
  next_after_seq: number | null;
}
