import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { MaxInt4 } from './input-rules';
import { FINISH_STATUSES, FinishStatus } from '../../domain/run.types';

export class FinishRunDto {
  @ApiProperty({ enum: FINISH_STATUSES })
  @IsIn(FINISH_STATUSES)
  status: FinishStatus;

  @ApiPropertyOptional({ minimum: 0, description: "Default: the sum of the phases' counts." })
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
}
