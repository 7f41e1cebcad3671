/**
 * The timeline document and the event stream's messages, as OpenAPI components. An event's data has
 * the schema of its type (event-data-schemas.ts, the documented form of read/event-view.ts).
 */
import { ApiExtraModels, ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { EVENT_DATA_SCHEMAS } from './event-data-schemas';
import { RUN_EVENT_TYPES } from '../../domain/run.events';
import { BATCH_RUN_ID_PATTERN, MAX_COUNT, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { RUN_STATUSES } from '../../domain/run.types';

const count = () => ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT });
const nullableMoment = () => ApiProperty({ type: 'string', format: 'date-time', nullable: true });

@ApiSchema({ name: 'RunEvent', description: 'One event of a run\'s stream.' })
@ApiExtraModels(...EVENT_DATA_SCHEMAS)
export class RunEventSchema {
  @ApiProperty({ type: 'integer', minimum: 1, description: "The event's version in the run's stream (1, 2, 3...)." })
  version: number;

  @ApiProperty({ enum: RUN_EVENT_TYPES })
  type: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  occurred_at: string;

  @ApiProperty({
    oneOf: EVENT_DATA_SCHEMAS.map((schema) => ({ $ref: getSchemaPath(schema) })),
    description: 'What happened, in snake_case; its schema is the one of its type: BatchRunStartedData, LogAppendedData, PhaseCompletedData, BatchRunFinishedData, LogEntriesDroppedData (docs/api.md, Events: names and data).',
  })
  data: Record<string, unknown>;
}

@ApiSchema({ name: 'TimelinePhase' })
export class TimelinePhaseSchema {
  @ApiProperty({ minLength: 1, maxLength: MAX_PHASE_LENGTH })
  name: string;

  @ApiProperty({ enum: ['pending', 'running', 'completed', 'failed'] })
  status: string;

  @nullableMoment()
  started_at: string | null;

  @nullableMoment()
  completed_at: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'Null until the phase has started.' })
  duration_ms: number | null;

  @count()
  entry_count: number;

  @count()
  warning_count: number;

  @count()
  error_count: number;
}

@ApiSchema({ name: 'Timeline', description: 'The run rebuilt from its event stream; streamed, events first.' })
export class TimelineSchema {
  @ApiProperty({ pattern: BATCH_RUN_ID_PATTERN.source })
  batch_run_id: string;

  @ApiProperty({ type: [RunEventSchema] })
  events: RunEventSchema[];

  @ApiProperty({ enum: RUN_STATUSES })
  status: string;

  @nullableMoment()
  started_at: string | null;

  @nullableMoment()
  completed_at: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'The moment asked for with ?at=, else null.' })
  at: string | null;

  @count()
  entry_count: number;

  @ApiProperty({ type: [TimelinePhaseSchema] })
  phases: TimelinePhaseSchema[];
}

@ApiSchema({
  name: 'RunEventMessage',
  description:
    'One Server-Sent Events message of GET .../events: `id: <version>`, `event: <type>`, `data: <RunEvent as JSON>`. Comment lines (`: keepalive`) come between messages while nothing happens.',
})
export class RunEventMessageSchema {
  @ApiProperty({ pattern: '^[1-9][0-9]*$', description: "The event's version: send it as Last-Event-ID to resume after it." })
  id: string;

  @ApiProperty({ enum: RUN_EVENT_TYPES, description: 'The event type, the name an EventSource listens to.' })
  event: string;

  @ApiProperty({ type: () => RunEventSchema, description: 'The data line, parsed: the event as JSON.' })
  data: RunEventSchema;
}
