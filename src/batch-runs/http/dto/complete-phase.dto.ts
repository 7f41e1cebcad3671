import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { MaxInt4 } from './input-rules';
import { PHASE_STATUSES } from '../../domain/run.types';

export class CompletePhaseDto {
  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @MaxInt4()
  completed_jobs?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @MaxInt4()
  failed_jobs?: number;

  @ApiPropertyOptional({ enum: PHASE_STATUSES, default: 'completed' })
  @IsOptional()
  @IsIn(PHASE_STATUSES)
  status?: 'completed' | 'failed';
}
