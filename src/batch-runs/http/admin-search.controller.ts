/**
 * Search (role admin): inside one run, and across runs (docs/api.md, Search).
 *
 * Neither takes the download throttler or a stream slot: a search is one bounded query (its statement
 * timeout, a page limit) answered as one JSON document, not a long-lived stream, and it runs on the
 * read pool, so however many run at once they wait for READ_POOL_MAX connections, never for the write
 * path's. Counting searches as downloads would let a console's searching use up an admin's downloads.
 */
import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { ApiErrors, ApiJson, ApiRunIdParam } from '../../http/openapi-responses';
import { runNotFound } from '../domain/run.errors';
import { RunLogReader } from '../read/run-log.reader';
import { decodeSearchCursor } from '../search/search.cursor';
import { SEARCH_LIMITS } from '../search/search.limits';
import { SearchService } from '../search/search.service';
import { AdminController } from './admin-controller.decorator';
import { RunSearchQueryDto, RunsSearchQueryDto } from './dto/search-query.dto';
import { RunSearchPageSchema, RunsSearchPageSchema } from './dto/search-responses';
import { decodeCursor } from './run-cursor';

/** The 400s both routes share. */
export const SEARCH_BAD_REQUEST =
  'validation_failed: q missing or longer than 200 characters, a limit or context out of range, an unknown level, an invalid cursor, an unknown query field; ' +
  'invalid_regex (field q): regex=true and q is no valid PostgreSQL regular expression; ' +
  'search_too_broad (field q): the search ran past SEARCH_STATEMENT_TIMEOUT_MS; narrow it.';

@AdminController('api/v1/admin')
export class AdminSearchController {
  constructor(
    private readonly reader: RunLogReader,
    private readonly search: SearchService,
  ) {}

  @Get('batch/history/:batchRunId/logs/search')
  @ApiOperation({ summary: "Search a run's log: matching entries with the entries around them, the total count, a cursor" })
  @ApiRunIdParam()
  @ApiJson(200, RunSearchPageSchema, 'A page of matches in seq order; next_cursor is null on the last page.')
  @ApiErrors({ 400: SEARCH_BAD_REQUEST, 404: 'run_not_found: no such run.' })
  async searchRun(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Query() query: RunSearchQueryDto) {
    const afterSeq = query.cursor ? decodeSearchCursor(query.cursor) : 0;
    const run = await this.reader.findRun(batchRunId);
    if (!run) throw runNotFound(batchRunId);
    return this.search.searchRun(run, runSearch(query, afterSeq));
  }

  @Get('search')
  @ApiOperation({ summary: 'Search every run: runs that match, newest first, each with its match count and first matches' })
  @ApiJson(200, RunsSearchPageSchema, 'A page of runs with matches; next_cursor is null on the last page.')
  @ApiErrors({ 400: `${SEARCH_BAD_REQUEST} Also: an unknown status, portfolio_id not a UUID, since/until not a date-time with an offset.` })
  async searchRuns(@Query() query: RunsSearchQueryDto) {
    return this.search.searchRuns({
      q: query.q,
      regex: query.regex ?? false,
      level: query.level,
      phase: query.phase,
      status: query.status,
      portfolioId: query.portfolio_id,
      since: query.since,
      until: query.until,
      limit: query.limit ?? SEARCH_LIMITS.defaultRunsPage,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
  }
}

/** The in-run search a query asks for (shared with the owner's route). */
export function runSearch(query: RunSearchQueryDto, afterSeq: number) {
  return {
    q: query.q,
    regex: query.regex ?? false,
    level: query.level,
    phase: query.phase,
    context: query.context ?? SEARCH_LIMITS.defaultContext,
    limit: query.limit ?? SEARCH_LIMITS.defaultRunPage,
    afterSeq,
  };
}
