import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { PHASE_STATUSES } from '../../domain/run.types';

export class CompletePhaseDto {
  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  completed_jobs?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  failed_jobs?: number;

  @ApiPropertyOptional({ enum: PHASE_STATUSES, default: 'completed' })
  @IsOptional()
  @IsIn(PHASE_STATUSES)
  status?: 'completed' | 'failed';
}
