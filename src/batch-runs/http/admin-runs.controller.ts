/** The admin's view of every run: list, details, log downloads and counts (role admin). */
import { Get, Param, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation } from '@nestjs/swagger';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { DownloadThrottlerGuard } from '../../http/download-throttler.guard';
import { StreamSlot, StreamSlotGuard } from '../../http/stream-slots';
import { downloadLog } from '../../http/log-download';
import { ApiErrors, ApiJson, ApiRunIdParam } from '../../http/openapi-responses';
import { ApiLogDownload } from '../../http/openapi-downloads';
import { EntryCountSchema, RunDetailsSchema, RunListPageSchema } from './dto/run-responses';
import { runNotFound } from '../domain/run.errors';
import { RunReadRepository } from '../persistence/run-read.repository';
import { presentRun, presentRunDetails } from '../read/formats/run.presenter';
import { RunLogReader } from '../read/run-log.reader';
import { RunRecord, toRunRecord } from '../read/run-record';
import { AdminController } from './admin-controller.decorator';
import { AdminLogQueryDto } from './dto/log-query.dto';
import { describeLogFilter, logFilterOf } from './log-query.filter';
import { HistoryQueryDto } from './dto/history-query.dto';
import { decodeCursor, encodeCursor } from './run-cursor';

const DEFAULT_PAGE = 50;

@AdminController('api/v1/admin/batch/history')
export class AdminRunsController {
  constructor(
    private readonly runs: RunReadRepository,
    private readonly reader: RunLogReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Runs, newest first, with keyset pagination' })
  @ApiJson(200, RunListPageSchema, 'A page of runs; next_cursor is null on the last page.')
  @ApiErrors({ 400: 'limit outside 1-200 or not decimal digits, an unknown status, portfolio_id not a UUID, an invalid cursor, an unknown query field.' })
  async list(@Query() query: HistoryQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.runs.listRuns({
      status: query.status,
      portfolioId: query.portfolio_id,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1, // one more than a page tells whether another page exists
    });
    const page = rows.slice(0, limit).map(toRunRecord);
    const last = page[page.length - 1];
    return {
      runs: page.map((run) => ({ ...presentRun(run), current_phase: run.currentPhase, log_entry_count: run.entryCount })),
      next_cursor: rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, batchRunId: last.batchRunId }) : null,
    };
  }

  @Get(':batchRunId')
  @ApiOperation({ summary: 'One run, with its log entry count and phases' })
  @ApiRunIdParam()
  @ApiJson(200, RunDetailsSchema, 'The run.')
  @ApiErrors({ 400: 'The id cannot be a run id.', 404: 'run_not_found: no such run.' })
  async details(@Param('batchRunId', BatchRunIdPipe) batchRunId: string) {
    return presentRunDetails(await this.findRun(batchRunId));
  }

  @Get(':batchRunId/logs/count')
  @ApiOperation({ summary: "The number of entries in a run's log" })
  @ApiRunIdParam()
  @ApiJson(200, EntryCountSchema, "The run's stored entry count.")
  @ApiErrors({ 400: 'The id cannot be a run id.', 404: 'run_not_found: no such run.' })
  async count(@Param('batchRunId', BatchRunIdPipe) batchRunId: string) {
    const run = await this.findRun(batchRunId);
    return { batch_run_id: run.batchRunId, count: run.entryCount };
  }

  @Get(':batchRunId/logs')
  @UseGuards(DownloadThrottlerGuard, StreamSlotGuard)
  @StreamSlot('downloads')
  @ApiOperation({ summary: "Download a run's log (json, txt, ndjson), optionally narrowed" })
  @ApiRunIdParam()
  @ApiLogDownload('json')
  @ApiErrors({
    400: 'An unknown format or ansi, an invalid filter, around_seq with after_seq, context without around_seq, an unknown query field, a malformed id.',
    404: 'run_not_found: no such run.',
    429: 'Too many downloads (per minute, or in flight at once); see Retry-After.',
  })
  async logs(
    @Param('batchRunId', BatchRunIdPipe) batchRunId: string,
    @Query() query: AdminLogQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const run = await this.findRun(batchRunId);
    return downloadLog(this.reader.readLog(run, logFilterOf(query)), query.format ?? 'json', response, { filter: describeLogFilter(query), ansi: query.ansi });
  }

  private async findRun(batchRunId: string): Promise<RunRecord> {
    const run = await this.reader.findRun(batchRunId);
    if (!run) throw runNotFound(batchRunId); // the ingestion routes' 404, code run_not_found
    return run;
  }
}
