/** The answer of GET .../compare, as OpenAPI components: what compare/run-comparer.ts returns. */
import { ApiProperty, ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';
import { NORMALISATION_RULES } from '../../compare/normalise-message';
import { MAX_COUNT, MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { LogLineFields } from './log-line-fields';
import { RunSchema } from './run-responses';

/**
 * A phase as one of the two runs has it, or null when that run has no such phase. Inline, not a
 * component: OpenAPI 3.0 cannot make a $ref nullable (`nullable` needs a `type` beside it).
 */
const PHASE_SIDE: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  description: 'The phase in this run; null when the run has no such phase.',
  required: ['status', 'duration_ms', 'entry_count'],
  properties: {
    status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed'] },
    duration_ms: { type: 'integer', minimum: 0, nullable: true, description: 'From its start to its end; null until it has ended.' },
    entry_count: { type: 'integer', minimum: 0, maximum: MAX_COUNT, description: 'Its entries among those compared.' },
  },
};

export interface ComparedPhaseSide {
  status: string;
  duration_ms: number | null;
  entry_count: number;
}

@ApiSchema({ name: 'ComparedPhase', description: 'A phase of either run, side by side; null on the side whose run has no such phase.' })
export class ComparedPhaseSchema {
  @ApiProperty({ minLength: 1, maxLength: MAX_PHASE_LENGTH })
  name: string;

  @ApiProperty(PHASE_SIDE)
  run: ComparedPhaseSide | null;

  @ApiProperty(PHASE_SIDE)
  other: ComparedPhaseSide | null;
}

@ApiSchema({ name: 'DifferingLine', description: 'A log entry only in one of the two runs (after normalisation), as stored.' })
export class DifferingLineSchema extends LogLineFields {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH, description: 'The message as stored (ANSI codes included).' })
  message: string;
}

@ApiSchema({ name: 'RunComparison', description: 'A run compared with another (docs/api.md, Compare two runs).' })
export class RunComparisonSchema {
  @ApiProperty({ type: RunSchema, description: 'The run asked about.' })
  run: RunSchema;

  @ApiProperty({ type: RunSchema, description: 'The run it is compared with.' })
  other: RunSchema;

  @ApiProperty({ type: [ComparedPhaseSchema], description: "Both runs' phases: the run's in its order, then the other's it lacks." })
  phases: ComparedPhaseSchema[];

  @ApiProperty({ type: [DifferingLineSchema], description: 'Lines only in the run, in seq order, at most limit.' })
  only_in_run: DifferingLineSchema[];

  @ApiProperty({ type: [DifferingLineSchema], description: 'Lines only in the other run, in seq order, at most limit.' })
  only_in_other: DifferingLineSchema[];

  @ApiProperty({ description: 'A list was cut at limit, or a run has more entries than are compared (200,000).' })
  truncated: boolean;

  @ApiProperty({ type: 'string', enum: NORMALISATION_RULES, isArray: true, description: 'The normalisation rules applied, in order.' })
  normalisation: string[];
}
