/** The fields a log line has in the compare and search answers, declared once for both schemas. */
import { ApiProperty } from '@nestjs/swagger';
import { MAX_COUNT, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { LOG_LEVELS } from '../../domain/run.types';

/** Where a line stands and what kind it is; each schema that extends it adds what it shows of the message. */
export abstract class LogLineFields {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_COUNT })
  seq: number;

  @ApiProperty({ type: 'string', format: 'date-time' })
  timestamp: string;

  @ApiProperty({ enum: LOG_LEVELS })
  level: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_PHASE_LENGTH })
  phase: string | null;
}
