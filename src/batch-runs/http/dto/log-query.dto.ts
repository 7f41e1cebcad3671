import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { BATCH_RUN_ID_PATTERN, BATCH_RUN_ID_RULE, DEFAULT_LOG_CONTEXT, MAX_LOG_CONTEXT } from '../../domain/run.limits';
import { ANSI_MODES, AnsiMode, LOG_FORMATS, LogFormat } from '../../read/formats/log-format';
import { LevelFilter, MAX_INT4, MaxInt4, PhaseFilter, QueryInteger } from './input-rules';

/** A field that makes sense only with another (`with`), or never with a third (`without`). */
const Alongside = (rule: { with?: string; without?: string }): PropertyDecorator =>
  ValidateBy({
    name: 'alongside',
    validator: {
      validate: (_: unknown, args) => {
        const object = args?.object as Record<string, unknown>;
        return (rule.with === undefined || object[rule.with] !== undefined) && (rule.without === undefined || object[rule.without] === undefined);
      },
      defaultMessage: (args) => (rule.without !== undefined && (args?.object as Record<string, unknown>)[rule.without] !== undefined ? `${args?.property} cannot be combined with ${rule.without}` : `${args?.property} needs ${rule.with}`),
    },
  });

/** What both download routes take: a window around one entry (a link to a line), and what TXT does with ANSI codes. */
export class LogWindowQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_INT4,
    description: 'Only the entries with seq from around_seq - context to around_seq + context (then level/phase, where the route takes them). Not with after_seq. Decimal digits only.',
  })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @MaxInt4()
  @Alongside({ without: 'after_seq' })
  around_seq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_LOG_CONTEXT, default: DEFAULT_LOG_CONTEXT, description: 'With around_seq: the entries on either side. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(0)
  @Max(MAX_LOG_CONTEXT)
  @Alongside({ with: 'around_seq' })
  context?: number;

  @ApiPropertyOptional({ enum: ANSI_MODES, default: 'strip', description: 'TXT: strip every ANSI escape sequence, or keep SGR (colour, bold) raw. JSON and NDJSON keep messages as stored.' })
  @IsOptional()
  @IsIn(ANSI_MODES, { message: `ansi must be one of: ${ANSI_MODES.join(', ')}` })
  ansi?: AnsiMode;
}

export class OwnerLogQueryDto extends LogWindowQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'txt' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @ApiPropertyOptional({ pattern: BATCH_RUN_ID_PATTERN.source, description: "A run of this portfolio; default: the portfolio's latest run." })
  @IsOptional()
  @Matches(BATCH_RUN_ID_PATTERN, { message: `batch_run_id ${BATCH_RUN_ID_RULE}` })
  batch_run_id?: string;
}

export class AdminLogQueryDto extends LogWindowQueryDto {
  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: LogFormat;

  @LevelFilter()
  level?: string;

  @PhaseFilter()
  phase?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT4, description: 'Only entries with a greater seq. Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(0)
  @MaxInt4()
  after_seq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000000, description: 'Decimal digits only.' })
  @IsOptional()
  @QueryInteger()
  @Min(1)
  @Max(1_000_000)
  limit?: number;
}
