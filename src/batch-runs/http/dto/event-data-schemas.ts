/**
 * The data of each event type as OpenAPI components: the documented form of the views in
 * src/batch-runs/read/event-view.ts (the one place that builds them), shared by the event stream and
 * the timeline. A generated client gets one type per event; `type` says which one a message holds.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAX_COUNT, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { FINISH_STATUSES, PHASE_STATUSES } from '../../domain/run.types';
import { LogEntrySchema } from './run-responses';

const count = (description?: string) => ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT, description });
const seq = (description?: string) => ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT, description });
const moment = () => ApiProperty({ type: 'string', format: 'date-time' });

@ApiSchema({ name: 'BatchRunStartedData', description: 'data of BatchRunStarted: the run as it was started.' })
export class BatchRunStartedDataSchema {
  @ApiProperty() batch_run_id: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) portfolio_id: string | null;
  @ApiProperty({ type: 'string', nullable: true }) owner_id: string | null;
  @count() total_jobs: number;
  @ApiProperty({ type: [String] }) phases: string[];
  @moment() started_at: string;
  @ApiProperty({ description: 'Started by the onboarding route (one running onboarding run per portfolio).' }) onboarding: boolean;
}

@ApiSchema({ name: 'LevelCounts' })
export class LevelCountsSchema {
  @count() info: number;
  @count() warning: number;
  @count() error: number;
}

@ApiSchema({ name: 'LogAppendedData', description: 'data of LogAppended: the seqs appended and their counts; on the event stream also the entries.' })
export class LogAppendedDataSchema {
  @seq() first_seq: number;
  @seq() last_seq: number;
  @count() entry_count: number;
  @ApiProperty({ type: () => LevelCountsSchema }) levels: LevelCountsSchema;
  @ApiProperty({ type: [LogEntrySchema], required: false, description: 'On the event stream only: the entries themselves, in seq order.' })
  entries?: LogEntrySchema[];
}

@ApiSchema({ name: 'PhaseCompletedData', description: 'data of PhaseCompleted.' })
export class PhaseCompletedDataSchema {
  @ApiProperty({ minLength: 1, maxLength: MAX_PHASE_LENGTH }) phase: string;
  @ApiProperty({ enum: PHASE_STATUSES }) status: string;
  @count() completed_jobs: number;
  @count() failed_jobs: number;
  @moment() completed_at: string;
  @seq('The last seq when the phase ended.') last_seq: number;
}

@ApiSchema({ name: 'BatchRunFinishedData', description: 'data of BatchRunFinished.' })
export class BatchRunFinishedDataSchema {
  @ApiProperty({ enum: FINISH_STATUSES }) status: string;
  @count() completed_jobs: number;
  @count() failed_jobs: number;
  @moment() completed_at: string;
  @seq() last_seq: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why runlog itself finished the run (its writer went silent); null when the producer did.' })
  reason: string | null;
}

@ApiSchema({ name: 'LogEntriesDroppedData', description: 'data of LogEntriesDropped: entries refused past MAX_ENTRIES_PER_RUN.' })
export class LogEntriesDroppedDataSchema {
  @count() count: number;
  @seq('The seq of the warning that marks the cut.') cut_at_seq: number;
}

export const EVENT_DATA_SCHEMAS = [BatchRunStartedDataSchema, LogAppendedDataSchema, PhaseCompletedDataSchema, BatchRunFinishedDataSchema, LogEntriesDroppedDataSchema];
