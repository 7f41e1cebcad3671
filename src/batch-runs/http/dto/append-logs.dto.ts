import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { LOG_LEVELS } from '../../domain/run.types';
import { MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH } from '../../domain/run.decide';
import { IsStorableDateTime, WellFormed } from './input-rules';

export class LogEntryDto {
  @ApiProperty({ enum: LOG_LEVELS })
  @IsIn(LOG_LEVELS)
  level: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, description: 'Any Unicode text; NUL is rejected.' })
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH)
  message: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the line was produced; default: when it was accepted.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsStorableDateTime()
  timestamp?: string;

  @ApiPropertyOptional({ description: "Default: the run's current phase." })
  @IsOptional()
  @WellFormed()
  @IsString()
  @Length(1, MAX_PHASE_LENGTH)
  phase?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'For idempotent retries: an entry whose seq is stored is not stored again.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  seq?: number;
}

export class AppendLogsDto {
  @ApiProperty({ type: [LogEntryDto], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LogEntryDto)
  entries: LogEntryDto[];
}
