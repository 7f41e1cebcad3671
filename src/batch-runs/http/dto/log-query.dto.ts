import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { BATCH_RUN_ID_PATTERN, BATCH_RUN_ID_RULE, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { LOG_LEVELS } from '../../domain/run.types';
import { LOG_FORMATS, LogFormat } from '../../read/formats/log-format';
import { MAX_INT4, MaxInt4, NoNul, QueryInteger } from './input-rules';

export class OwnerLogQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'txt' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @ApiPropertyOptional({ pattern: BATCH_RUN_ID_PATTERN.source, description: "A run of this portfolio; default: the portfolio's latest run." })
  @IsOptional()
  @Matches(BATCH_RUN_ID_PATTERN, { message: `batch_run_id ${BATCH_RUN_ID_RULE}` })
  batch_run_id?: string;
}

export class AdminLogQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @ApiPropertyOptional({ enum: LOG_LEVELS, description: 'Only entries of this level.' })
  @IsOptional()
  @IsIn(LOG_LEVELS)
  level?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_PHASE_LENGTH, description: 'Only entries of this phase.' })
  @IsOptional()
  @IsString()
  @NoNul()
  @Length(1, MAX_PHASE_LENGTH)
  phase?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT4, description: 'Only entries with a greater seq. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(0)
  @MaxInt4()
  after_seq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000000, description: 'Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(1_000_000)
  limit?: number;
}
