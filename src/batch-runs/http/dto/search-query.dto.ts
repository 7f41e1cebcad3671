/** The query strings of the search routes (docs/api.md, Search); limits in search.limits.ts. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { BATCH_RUN_ID_PATTERN, BATCH_RUN_ID_RULE } from '../../domain/run.limits';
import { SEARCH_LIMITS } from '../../search/search.limits';
import { HasOffset, IsStorableDateTime, LevelFilter, NoNul, PhaseFilter, PortfolioIdFilter, QueryInteger, RunStatusFilter } from './input-rules';

/** "true" or "false" and nothing else: a typo ("ture", "1") is refused, never read as false. */
const QueryBoolean = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsIn([true, false], { message: '$property must be true or false' }),
  );

class CommonSearchQuery {
  @ApiProperty({ minLength: 1, maxLength: SEARCH_LIMITS.maxQueryLength, description: 'A case-insensitive substring; with regex=true a PostgreSQL regular expression.' })
  @IsString()
  @NoNul()
  @Length(1, SEARCH_LIMITS.maxQueryLength)
  q: string;

  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'q is a PostgreSQL regular expression (case-insensitive, time-bounded).' })
  @IsOptional()
  @QueryBoolean()
  regex?: boolean;

  @LevelFilter()
  level?: string;

  @PhaseFilter()
  phase?: string;

  @ApiPropertyOptional({ maxLength: 400, description: 'next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

export class RunSearchQueryDto extends CommonSearchQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: SEARCH_LIMITS.maxContext, default: SEARCH_LIMITS.defaultContext, description: 'Entries before and after each match. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(0)
  @Max(SEARCH_LIMITS.maxContext)
  context?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SEARCH_LIMITS.maxRunPage, default: SEARCH_LIMITS.defaultRunPage, description: 'Matches per page. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(SEARCH_LIMITS.maxRunPage)
  limit?: number;
}

export class OwnerRunSearchQueryDto extends RunSearchQueryDto {
  @ApiPropertyOptional({ pattern: BATCH_RUN_ID_PATTERN.source, description: "A run of this portfolio; default: the portfolio's latest run." })
  @IsOptional()
  @Matches(BATCH_RUN_ID_PATTERN, { message: `batch_run_id ${BATCH_RUN_ID_RULE}` })
  batch_run_id?: string;
}

export class RunsSearchQueryDto extends CommonSearchQuery {
  @RunStatusFilter()
  status?: string;

  @PortfolioIdFilter()
  portfolio_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Runs started at or after this moment; with an offset (Z or ±hh:mm).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @HasOffset()
  @IsStorableDateTime()
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Runs started at or before this moment; with an offset (Z or ±hh:mm).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @HasOffset()
  @IsStorableDateTime()
  until?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SEARCH_LIMITS.maxRunsPage, default: SEARCH_LIMITS.defaultRunsPage, description: 'Runs per page. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(SEARCH_LIMITS.maxRunsPage)
  limit?: number;
}
