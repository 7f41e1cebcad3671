import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OptionalJobCount } from './input-rules';
import { PHASE_STATUSES } from '../../domain/run.types';

export class CompletePhaseDto {
  @OptionalJobCount()
  completed_jobs?: number;

  @OptionalJobCount()
  failed_jobs?: number;

  @ApiPropertyOptional({ enum: PHASE_STATUSES, default: 'completed' })
  @IsOptional()
  @IsIn(PHASE_STATUSES)
  status?: 'completed' | 'failed';
}
