/** The owner routes' answers, as OpenAPI components (the log downloads share LogDocument and LogEntry). */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { BATCH_RUN_ID_PATTERN, MAX_COUNT, MAX_PHASE_LENGTH } from '../batch-runs/domain/run.limits';
import { RUN_STATUSES } from '../batch-runs/domain/run.types';

const count = () => ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT });

@ApiSchema({ name: 'OnboardingStarted' })
export class OnboardingStartedSchema {
  @ApiProperty({ pattern: BATCH_RUN_ID_PATTERN.source, example: 'batch_20260111_140715_955f', description: 'The run started; its status can be polled at once.' })
  batch_run_id: string;
}

@ApiSchema({ name: 'OnboardingStatus', description: "The portfolio's latest run (for a user: their latest) and its progress." })
export class OnboardingStatusSchema {
  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ pattern: BATCH_RUN_ID_PATTERN.source })
  batch_run_id: string;

  @ApiProperty({ enum: RUN_STATUSES })
  status: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_PHASE_LENGTH })
  current_phase: string | null;

  @ApiProperty({ type: 'string', format: 'date-time' })
  started_at: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  completed_at: string | null;

  @count()
  total_jobs: number;

  @count()
  completed_jobs: number;

  @count()
  failed_jobs: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: '100 once completed, else (completed + failed jobs) / total jobs, rounded.' })
  progress_percent: number;
}
