import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, Max, Min } from 'class-validator';
import { COMPARE_DEFAULT_LIMIT, COMPARE_MAX_LIMIT, LAST_COMPLETED } from '../../compare/compare.limits';
import { BATCH_RUN_ID_PATTERN, BATCH_RUN_ID_RULE } from '../../domain/run.limits';
import { QueryInteger } from './input-rules';

export class CompareQueryDto {
  @ApiProperty({
    pattern: BATCH_RUN_ID_PATTERN.source,
    example: LAST_COMPLETED,
    description: `The run to compare with: a run id, or \`${LAST_COMPLETED}\` for the newest completed run other than this one of the same portfolio (of the same batch name when the run has no portfolio).`,
  })
  @Matches(BATCH_RUN_ID_PATTERN, { message: `with must be ${LAST_COMPLETED} or a run id (${BATCH_RUN_ID_RULE})` })
  with: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: COMPARE_MAX_LIMIT, default: COMPARE_DEFAULT_LIMIT, description: 'Lines each "only in" list holds at most. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(COMPARE_MAX_LIMIT)
  limit?: number;
}
