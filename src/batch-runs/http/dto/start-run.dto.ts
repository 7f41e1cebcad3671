import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { MAX_OWNER_LENGTH, MAX_PHASE_LENGTH, MAX_PHASES_PER_RUN, NEW_BATCH_RUN_ID_PATTERN, NEW_BATCH_RUN_ID_RULE } from '../../domain/run.limits';
import { NoNul, OptionalJobCount, WellFormed } from './input-rules';

export class StartRunDto {
  @ApiPropertyOptional({
    example: 'batch_20260111_140711',
    type: 'string',
    nullable: true,
    pattern: NEW_BATCH_RUN_ID_PATTERN.source,
    description: 'Not "." or ".." (clients rewrite such a path segment). Generated as batch_YYYYMMDD_HHMMSS_xxxx when absent.',
  })
  @IsOptional()
  @Matches(NEW_BATCH_RUN_ID_PATTERN, { message: `batch_run_id ${NEW_BATCH_RUN_ID_RULE}` })
  batch_run_id?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  portfolio_id?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: MAX_OWNER_LENGTH, description: 'Who the run belongs to (a user sub); owners may read their runs. No NUL.' })
  @IsOptional()
  @WellFormed()
  @IsString()
  @NoNul()
  @Length(1, MAX_OWNER_LENGTH)
  owner_id?: string;

  @OptionalJobCount()
  total_jobs?: number;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: MAX_PHASE_LENGTH },
    maxItems: MAX_PHASES_PER_RUN,
    uniqueItems: true,
    nullable: true,
    description: 'Phase names, unique, in running order.',
  })
  @IsOptional()
  @WellFormed()
  @IsArray()
  @ArrayMaxSize(MAX_PHASES_PER_RUN)
  @IsString({ each: true })
  @Length(1, MAX_PHASE_LENGTH, { each: true })
  phases?: string[];
}
