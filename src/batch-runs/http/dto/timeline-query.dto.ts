import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { HasOffset, IsStorableDateTime } from './input-rules';

export class TimelineQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Show the run as it stood at this moment; with an offset (Z or ±hh:mm).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @HasOffset()
  @IsStorableDateTime()
  at?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ minimum: 0.01, maximum: 10000, description: 'Replay the stored events at N times their original pace; default: as fast as possible.' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(10000)
  speed?: number;
}
