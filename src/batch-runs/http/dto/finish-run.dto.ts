import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalJobCount } from './input-rules';
import { FINISH_STATUSES, FinishStatus } from '../../domain/run.types';

export class FinishRunDto {
  @ApiProperty({ enum: FINISH_STATUSES })
  @IsIn(FINISH_STATUSES)
  status: FinishStatus;

  @OptionalJobCount("Default: the sum of the phases' counts.")
  completed_jobs?: number;

  @OptionalJobCount()
  failed_jobs?: number;
}
