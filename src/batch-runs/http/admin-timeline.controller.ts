/** Replaying and following a run: its timeline (optionally as of a moment) and its events as SSE (role admin). */
import { BadRequestException, Controller, Get, Headers, MessageEvent, NotFoundException, Param, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Inject } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Roles } from '../../auth/roles.decorator';
import { Clock } from '../../common/clock';
import { PG_POOL } from '../../database/pg-pool';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { RecordedRunEvent } from '../domain/run.events';
import { EventStore } from '../persistence/event-store';
import { RunReadRepository } from '../persistence/run-read.repository';
import { RunEventFollower } from '../read/run-event.follower';
import { TimelineBuilder } from '../read/timeline';
import { EventsQueryDto, TimelineQueryDto } from './dto/timeline-query.dto';

const PAGE = 1000;

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/batch/history')
export class AdminTimelineController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly events: EventStore,
    private readonly runs: RunReadRepository,
    private readonly follower: RunEventFollower,
    private readonly clock: Clock,
  ) {}

  @Get(':batchRunId/timeline')
  @ApiOperation({ summary: "The run's phases and events, rebuilt from its event stream; ?at= shows it as it stood then" })
  async timeline(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Query() query: TimelineQueryDto) {
    await this.requireRun(batchRunId);
    const builder = new TimelineBuilder(batchRunId, query.at ? new Date(query.at) : null);
    for (let after = 0; ; ) {
      const page = await this.events.readStream(this.pool, batchRunId, after, PAGE);
      let more = page.length === PAGE;
      for (const event of page) {
        if (!builder.add(event)) {
          more = false;
          break;
        }
        after = event.version;
      }
      if (!more) break;
    }
    return builder.build(this.clock.now());
  }

  @Sse(':batchRunId/events')
  @ApiOperation({ summary: 'Server-Sent Events: stored events in order, then live ones until the run finishes' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event version' })
  async stream(
    @Param('batchRunId', BatchRunIdPipe) batchRunId: string,
    @Query() query: EventsQueryDto,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    await this.requireRun(batchRunId);
    const after = parseLastEventId(lastEventId);
    return new Observable<MessageEvent>((subscriber) => {
      const abort = new AbortController();
      (async () => {
        for await (const event of this.follower.follow(batchRunId, after, { speed: query.speed, signal: abort.signal })) {
          subscriber.next(toMessage(event));
        }
        subscriber.complete();
      })().catch((error) => subscriber.error(error));
      return () => abort.abort(); // the client went away: stop following
    });
  }

  private async requireRun(batchRunId: string): Promise<void> {
    if (!(await this.runs.findRun(batchRunId))) throw new NotFoundException(`batch run ${JSON.stringify(batchRunId)} does not exist`);
  }
}

function toMessage(event: RecordedRunEvent): MessageEvent {
  return {
    id: String(event.version),
    type: event.type,
    data: { version: event.version, type: event.type, occurred_at: event.occurredAt, data: event.data },
  };
}

function parseLastEventId(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,9}$/.test(value)) throw new BadRequestException('Last-Event-ID must be an event version (a whole number)');
  return Number(value);
}
