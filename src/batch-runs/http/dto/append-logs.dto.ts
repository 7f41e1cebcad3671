import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { LOG_LEVELS } from '../../domain/run.types';
import { MAX_COUNT, MAX_ENTRIES_PER_APPEND, MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH } from '../../domain/run.limits';
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

  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true, description: 'When the line was produced, with an offset (Z or ±hh:mm); default (absent or null): when it was accepted.' })
  timestamp?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: MAX_PHASE_LENGTH, description: "Default (absent or null): the run's current phase." })
  phase?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_COUNT,
    nullable: true,
    description: 'For idempotent retries: an entry whose seq is stored is not stored again; absent or null: the next one.',
  })
  seq?: number;
}

export class AppendLogsDto {
  @ApiProperty({ type: [LogEntryDto], minItems: 1, maxItems: MAX_ENTRIES_PER_APPEND })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ENTRIES_PER_APPEND)
  @AreLogEntries()
  entries: LogEntryDto[];
}
