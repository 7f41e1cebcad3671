/**
 * The portfolio owner's routes: start onboarding, follow its status, download its log. A user sees
 * only runs they own; one that is not theirs answers 404, exactly like one that does not exist.
 */
import { BadRequestException, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, ParseUUIDPipe, PipeTransform, Post, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { RunRuleError } from '../batch-runs/domain/run.errors';
import { OwnerLogQueryDto } from '../batch-runs/http/dto/log-query.dto';
import { describeLogFilter, logFilterOf } from '../batch-runs/http/log-query.filter';
import { RunReadRepository } from '../batch-runs/persistence/run-read.repository';
import { presentRun, progressPercent } from '../batch-runs/read/formats/run.presenter';
import { RunLogReader } from '../batch-runs/read/run-log.reader';
import { RunRecord, toRunRecord } from '../batch-runs/read/run-record';
import { DownloadThrottlerGuard } from '../http/download-throttler.guard';
import { StreamSlot, StreamSlotGuard } from '../http/stream-slots';
import { downloadLog } from '../http/log-download';
import { ApiLogDownload } from '../http/openapi-downloads';
import { ApiAuthErrors, ApiErrors, ApiJson, ApiPortfolioIdParam, DATABASE_UNAVAILABLE } from '../http/openapi-responses';
import { OnboardingStartedSchema, OnboardingStatusSchema } from './onboarding.responses';
import { OnboardingService } from './onboarding.service';
import { runSearch, SEARCH_BAD_REQUEST } from '../batch-runs/http/admin-search.controller';
import { OwnerRunSearchQueryDto } from '../batch-runs/http/dto/search-query.dto';
import { RunSearchPageSchema } from '../batch-runs/http/dto/search-responses';
import { decodeSearchCursor } from '../batch-runs/search/search.cursor';
import { SearchService } from '../batch-runs/search/search.service';

const parseUuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('portfolioId must be a UUID') });

/**
 * A UUID in its canonical lower case, as PostgreSQL returns it: "C599E4EF-..." names the same portfolio as
 * "c599e4ef-...", and a run of it compares equal (a named run of one's own portfolio was a 404 in upper case).
 */
const uuid: PipeTransform<string, Promise<string>> = {
  transform: async (value, metadata) => (await parseUuid.transform(value, metadata)).toLowerCase(),
};

@ApiTags('onboarding')
@ApiBearerAuth()
@ApiAuthErrors('user, admin')
@ApiErrors({ 503: DATABASE_UNAVAILABLE })
@Roles('user', 'admin')
@Controller('api/v1/onboarding')
export class OnboardingController {
  constructor(
    private readonly runs: RunReadRepository,
    private readonly reader: RunLogReader,
    private readonly onboarding: OnboardingService,
    private readonly search: SearchService,
  ) {}

  @Post(':portfolioId/batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start the onboarding batch for a portfolio; the caller owns the run' })
  @ApiPortfolioIdParam()
  @ApiJson(202, OnboardingStartedSchema, 'The run is stored and runs in the background.')
  @ApiErrors({
    400: 'portfolioId must be a UUID.',
    409: 'portfolio_onboarding: an onboarding run of the portfolio is running.',
  })
  async trigger(@Param('portfolioId', uuid) portfolioId: string, @CurrentPrincipal() principal: Principal) {
    const latest = await this.latestRun(portfolioId, principal);
    if (latest?.status === 'running') {
      // The code the database's one-onboarding-run rule answers with (run.errors.ts): one meaning, one code.
      throw new RunRuleError('conflict', 'portfolio_onboarding', `portfolio ${portfolioId} is already onboarding (run ${latest.batchRunId})`, 'portfolio_id');
    }
    return { batch_run_id: await this.onboarding.start(portfolioId, principal.sub) };
  }

  @Get('status/:portfolioId')
  @ApiOperation({ summary: "The portfolio's latest run and its progress" })
  @ApiPortfolioIdParam()
  @ApiJson(200, OnboardingStatusSchema, 'The latest run visible to the caller.')
  @ApiErrors({ 400: 'portfolioId must be a UUID.', 404: 'not_found: no run of this portfolio visible to the caller.' })
  async status(@Param('portfolioId', uuid) portfolioId: string, @CurrentPrincipal() principal: Principal) {
    const run = await this.latestRun(portfolioId, principal);
    if (!run) throw new NotFoundException(`no onboarding run for portfolio ${portfolioId}`);
    return {
      portfolio_id: portfolioId,
      batch_run_id: run.batchRunId,
      status: run.status,
      current_phase: run.currentPhase,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      total_jobs: run.totalJobs,
      completed_jobs: run.completedJobs,
      failed_jobs: run.failedJobs,
      progress_percent: progressPercent(run),
    };
  }

  @Get('status/:portfolioId/logs')
  @UseGuards(DownloadThrottlerGuard, StreamSlotGuard)
  @StreamSlot('downloads')
  @ApiOperation({ summary: "Download the latest run's log, or a named run of this portfolio" })
  @ApiPortfolioIdParam()
  @ApiLogDownload('txt')
  @ApiErrors({
    400: 'An unknown format or ansi, a malformed batch_run_id, an invalid around_seq or context, an unknown query field, portfolioId not a UUID.',
    404: 'not_found: no run visible; batch_run_id of another portfolio, of another user, or unknown.',
    429: 'Too many downloads (per minute, or in flight at once); see Retry-After.',
  })
  async logs(
    @Param('portfolioId', uuid) portfolioId: string,
    @Query() query: OwnerLogQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const run = query.batch_run_id ? await this.namedRun(query.batch_run_id, portfolioId, principal) : await this.latestRun(portfolioId, principal);
    if (!run) throw new NotFoundException(`no onboarding run for portfolio ${portfolioId}`);
    return downloadLog(this.reader.readLog(run, logFilterOf(query)), query.format ?? 'txt', response, { filter: describeLogFilter(query), ansi: query.ansi });
  }

  @Get('status/:portfolioId/logs/search')
  @ApiOperation({ summary: "Search the latest run's log, or a named run of this portfolio (the admin's in-run search, for the owner's runs)" })
  @ApiPortfolioIdParam()
  @ApiJson(200, RunSearchPageSchema, 'A page of matches in seq order; next_cursor is null on the last page.')
  @ApiErrors({
    400: `${SEARCH_BAD_REQUEST} Also: a malformed batch_run_id, portfolioId not a UUID.`,
    404: 'not_found: no run visible; batch_run_id of another portfolio, of another user, or unknown.',
  })
  async searchLogs(
    @Param('portfolioId', uuid) portfolioId: string,
    @Query() query: OwnerRunSearchQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const afterSeq = query.cursor ? decodeSearchCursor(query.cursor) : 0;
    const run = query.batch_run_id ? await this.namedRun(query.batch_run_id, portfolioId, principal) : await this.latestRun(portfolioId, principal);
    if (!run) throw new NotFoundException(`no onboarding run for portfolio ${portfolioId}`);
    return this.search.searchRun(run, runSearch(query, afterSeq));
  }

  private async latestRun(portfolioId: string, principal: Principal): Promise<RunRecord | null> {
    const row = await this.runs.latestRunOfPortfolio(portfolioId, principal.role === 'admin' ? null : principal.sub);
    return row ? toRunRecord(row) : null;
  }

  /** A named run counts only if it belongs to this portfolio and (for users) to the caller. */
  private async namedRun(batchRunId: string, portfolioId: string, principal: Principal): Promise<RunRecord> {
    const run = await this.reader.findRun(batchRunId);
    const visible = run && run.portfolioId === portfolioId && (principal.role === 'admin' || run.ownerId === principal.sub);
    if (!visible) throw new NotFoundException(`no run ${JSON.stringify(batchRunId)} for portfolio ${portfolioId}`);
    return run;
  }
}
