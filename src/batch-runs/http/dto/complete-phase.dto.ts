import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OptionalJobCount } from './input-rules';
import { PHASE_STATUSES } from '../../domain/run.types';

export class CompletePhaseDto {
  @OptionalJobCount()
  completed_jobs?: number;

  @OptionalJobCount()
  failed_jobs?: number;

  // The default is said, not declared as `default`: generated clients would make a field with a default required.
  @ApiPropertyOptional({ enum: PHASE_STATUSES, nullable: true, description: 'Default (absent or null): completed.' })
  @IsOptional()
  @IsIn(PHASE_STATUSES)
  status?: 'completed' | 'failed';
}
