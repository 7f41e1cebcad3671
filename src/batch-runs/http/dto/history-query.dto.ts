import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { QueryInteger } from './input-rules';
import { RUN_STATUSES } from '../../domain/run.types';

export class HistoryQueryDto {
  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  portfolio_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 400, description: 'next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}
