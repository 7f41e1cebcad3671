import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LOG_LEVELS } from '../../domain/run.types';
import { LOG_FORMATS, LogFormat } from '../../read/formats/log-format';
import { MaxInt4, NoNul, QueryInteger } from './input-rules';

export class OwnerLogQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'txt' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @ApiPropertyOptional({ description: "A run of this portfolio; default: the portfolio's latest run." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'batch_run_id must match ^[A-Za-z0-9_.:-]{1,128}$' })
  batch_run_id?: string;
}

export class AdminLogQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @ApiPropertyOptional({ enum: LOG_LEVELS })
  @IsOptional()
  @IsIn(LOG_LEVELS)
  level?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @NoNul()
  @Length(1, 200)
  phase?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Only entries with a greater seq. Decimal digits only.' })
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
