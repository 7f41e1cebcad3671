import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PortfolioIdFilter, QueryInteger, RunStatusFilter } from './input-rules';

export class HistoryQueryDto {
  @RunStatusFilter()
  status?: string;

  @PortfolioIdFilter()
  portfolio_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 400, description: 'next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}
