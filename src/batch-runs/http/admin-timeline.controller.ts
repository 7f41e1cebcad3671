/** Replaying and following a run: its timeline (optionally as of a moment) and its events as SSE (role admin). */
import { BadRequestException, Get, Headers, Inject, Logger, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { Pool } from 'pg';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { PG_READ_POOL } from '../../database/pg-pool';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { ChunkedWriter, endOrDestroy } from '../../http/backpressure';
import { EventStream } from '../../http/event-stream';
import { ApiErrors, ApiJson, ApiRunIdParam } from '../../http/openapi-responses';
import { StreamSlot, StreamSlotGuard } from '../../http/stream-slots';
import { runNotFound } from '../domain/run.errors';
import { EventStore, parseEvent, RawRunEvent } from '../persistence/event-store';
import { RunReadRepository, RunRow } from '../persistence/run-read.repository';
import { toEventView } from '../read/event-view';
import { RunEventFollower } from '../read/run-event.follower';
import { TimelineBuilder } from '../read/timeline';
import { AdminController } from './admin-controller.decorator';
import { EventsQueryDto, TimelineQueryDto } from './dto/timeline-query.dto';
import { RunEventMessageSchema, TimelineSchema } from './dto/timeline-responses';

@AdminController('api/v1/admin/batch/history')
export class AdminTimelineController {
  private readonly logger = new Logger('events');

  constructor(
    @Inject(PG_READ_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventStore,
    private readonly runs: RunReadRepository,
    private readonly follower: RunEventFollower,
    private readonly clock: Clock,
  ) {}

  /**
   * Streamed as it is folded, a page of events at a time and at the client's pace: a 20,000-event
   * timeline is never one document in memory. The events come first, the summary (status, phases)
   * after them, since it is known only once every event is folded.
   */
  @Get(':batchRunId/timeline')
  @ApiOperation({ summary: "The run's phases and events, rebuilt from its event stream; ?at= shows it as it stood then" })
  @ApiRunIdParam()
  @ApiJson(200, TimelineSchema, 'The timeline, streamed: events first, the summary after them; cut, never sent short, if it fails half-way.')
  @ApiErrors({ 400: 'A malformed at (or one without an offset), a malformed id.', 404: 'run_not_found: no such run.' })
  async timeline(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Query() query: TimelineQueryDto, @Res() res: Response): Promise<void> {
    await this.requireRun(batchRunId);
    const builder = new TimelineBuilder(batchRunId, query.at ? new Date(query.at) : null);
    const out = new ChunkedWriter(res, this.config.httpIdleTimeoutSeconds * 1000);
    res.status(200).type('application/json; charset=utf-8');
    try {
      let open = await out.write(`{"batch_run_id":${JSON.stringify(batchRunId)},"events":[`);
      let first = true;
      for (let after = 0, more = true; open && more; ) {
        const page = await this.events.readPage(this.pool, batchRunId, after);
        more = page.length > 0;
        for (const raw of page) {
          const event = builder.add(parseEvent(batchRunId, raw));
          if (!event) {
            more = false;
            break;
          }
          open = await out.write(`${first ? '' : ','}${JSON.stringify(event)}`);
          first = false;
          after = raw.version;
        }
      }
      const summary = JSON.stringify(builder.summary(this.clock.now()));
      if (open && (await out.write(`],${summary.slice(1)}`)) && (await out.flush())) endOrDestroy(res, this.config.httpIdleTimeoutSeconds * 1000);
    } catch (error) {
      // Part of the document may be out: cut the connection so the client sees it incomplete.
      this.logger.warn(`timeline of ${batchRunId} failed: ${(error as Error).message}`);
      res.destroy();
    }
  }

  @Get(':batchRunId/events')
  @UseGuards(StreamSlotGuard)
  @StreamSlot('events')
  @ApiOperation({ summary: 'Server-Sent Events: stored events in order, then live ones until the run finishes' })
  @ApiRunIdParam()
  // Named as @Headers() names it, so the document holds one optional header, not a second, required one.
  @ApiHeader({ name: 'last-event-id', required: false, schema: { type: 'string', pattern: '^[0-9]{1,9}$' }, description: 'Last-Event-ID: resume after this event version.' })
  @ApiExtraModels(RunEventMessageSchema)
  @ApiResponse({
    status: 200,
    description:
      'text/event-stream: the stored events in order, then live ones until the run finishes. Each message: id (the version), event (BatchRunStarted, LogAppended, PhaseCompleted, BatchRunFinished or LogEntriesDropped) and data (the event as JSON); the schema describes one message.',
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(RunEventMessageSchema) } } },
  })
  @ApiResponse({ status: 204, description: 'The run is finished and Last-Event-ID is its last event: nothing more will come.' })
  @ApiErrors({
    400: 'A malformed Last-Event-ID or speed, a malformed id.',
    404: 'run_not_found: no such run.',
    429: 'Too many live event streams for this principal (SSE_MAX_PER_PRINCIPAL); see Retry-After.',
    503: 'The server holds its most live event streams (SSE_MAX_CONNECTIONS), or the database is unreachable; see Retry-After.',
  })
  async stream(
    @Param('batchRunId', BatchRunIdPipe) batchRunId: string,
    @Query() query: EventsQueryDto,
    @Res() res: Response,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const run = await this.requireRun(batchRunId);
    const after = parseLastEventId(lastEventId);
    if (run.status !== 'running' && after >= run.stream_version) {
      // 204 tells an EventSource to stop reconnecting: a finished run has nothing more to send.
      res.status(204).end();
      return;
    }
    const stream = new EventStream(res, this.config.sseHeartbeatSeconds * 1000, this.config.httpIdleTimeoutSeconds * 1000);
    const abort = new AbortController();
    res.once('close', () => abort.abort()); // the client went away: stop following
    try {
      for await (const event of this.follower.follow(batchRunId, after, { speed: query.speed, signal: abort.signal })) {
        if (!(await stream.send(toFrame(batchRunId, event)))) break;
      }
      stream.end();
    } catch (error) {
      this.logger.warn(`event stream of ${batchRunId} failed: ${(error as Error).message}`);
      stream.fail();
    }
  }

  private async requireRun(batchRunId: string): Promise<RunRow> {
    const run = await this.runs.findRun(batchRunId);
    if (!run) throw runNotFound(batchRunId); // the other routes' 404, code run_not_found
    return run;
  }
}

/**
 * One SSE message per event, named by its type (docs/api.md, "Event stream"), data in the public view
 * the timeline shares (read/event-view.ts). The stored payload is parsed here, one event at a time, as
 * it is sent: memory stays what the follower's bounded page holds plus the one event on its way out.
 */
function toFrame(batchRunId: string, event: RawRunEvent): { id: string; event: string; data: string } {
  return {
    id: String(event.version),
    event: event.type,
    data: JSON.stringify(toEventView(parseEvent(batchRunId, event), { entries: true })),
  };
}

function parseLastEventId(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,9}$/.test(value)) throw new BadRequestException('Last-Event-ID must be an event version (a whole number)');
  return Number(value);
}
