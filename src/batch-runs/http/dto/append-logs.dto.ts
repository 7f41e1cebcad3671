import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { LOG_LEVELS } from '../../domain/run.types';
import { MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH } from '../../domain/run.decide';
import { AreLogEntries } from './log-entries.rule';

/**
 * One log entry, as documented in the OpenAPI schema. Its rules are checked by AreLogEntries on the
 * array, in one pass; the decider checks them again (and turns lone surrogates into U+FFFD).
 */
export class LogEntryDto {
  @ApiProperty({ enum: LOG_LEVELS })
  level: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, description: 'Any Unicode text; NUL is rejected.' })
  message: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the line was produced, with an offset (Z or ±hh:mm); default (absent or null): when it was accepted.' })
  timestamp?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_PHASE_LENGTH, description: "Default: the run's current phase." })
  phase?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'For idempotent retries: an entry whose seq is stored is not stored again.' })
  seq?: number;
}

export class AppendLogsDto {
  @ApiProperty({ type: [LogEntryDto], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @AreLogEntries()
  entries: LogEntryDto[];
}
