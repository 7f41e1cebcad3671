import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { NEW_BATCH_RUN_ID_PATTERN, NEW_BATCH_RUN_ID_RULE } from '../../domain/run.decide';
import { NoNul, OptionalJobCount, WellFormed } from './input-rules';

export class StartRunDto {
  @ApiPropertyOptional({
    example: 'batch_20260111_140711',
    pattern: NEW_BATCH_RUN_ID_PATTERN.source,
    description: 'Not "." or ".." (clients rewrite such a path segment). Generated as batch_YYYYMMDD_HHMMSS_xxxx when absent.',
  })
  @IsOptional()
  @Matches(NEW_BATCH_RUN_ID_PATTERN, { message: `batch_run_id ${NEW_BATCH_RUN_ID_RULE}` })
  batch_run_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  portfolio_id?: string;

  @ApiPropertyOptional({ description: 'Who the run belongs to (a user sub); owners may read their runs.' })
  @IsOptional()
  @WellFormed()
  @IsString()
  @NoNul()
  @Length(1, 200)
  owner_id?: string;

  @OptionalJobCount()
  total_jobs?: number;

  @ApiPropertyOptional({ type: [String], description: 'Phase names in order.' })
  @IsOptional()
  @WellFormed()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  phases?: string[];
}
