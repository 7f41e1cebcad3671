/** Ingestion for producers in any language: the four commands over HTTP (role service or admin). */
import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { RunLeases } from '../persistence/run-leases';
import { RunLogReader } from '../read/run-log.reader';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { JsonBodyGuard } from '../../http/json-body.guard';
import { JsonDepthGuard } from '../../http/json-depth.guard';
import { ApiAuthErrors, ApiErrors, ApiJson, ApiRunIdParam, DATABASE_UNAVAILABLE } from '../../http/openapi-responses';
import { generateBatchRunId } from '../../orchestrator/batch-orchestrator';
import { AppendLogEntriesCommand } from '../commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../commands/start-batch-run/start-batch-run.command';
import { MAX_ENTRIES_PER_APPEND, MAX_PHASE_LENGTH } from '../domain/run.limits';
import { invalid, runFinished, runNotFound, RunRuleError } from '../domain/run.errors';
import { presentRun } from '../read/formats/run.presenter';
import { recordFromState } from '../read/run-record';
import { AppendLogsDto } from './dto/append-logs.dto';
import { AppendedSchema, HeartbeatSchema, RunSchema, StartedRunSchema } from './dto/run-responses';
import { CompletePhaseDto } from './dto/complete-phase.dto';
import { FinishRunDto } from './dto/finish-run.dto';
import { StartRunDto } from './dto/start-run.dto';

@ApiTags('ingestion')
@ApiBearerAuth()
@ApiAuthErrors('service, admin')
@ApiErrors({
  413: 'The request body is over 5 MiB.',
  415: 'The request body is not JSON (Content-Type: application/json).',
  503: DATABASE_UNAVAILABLE,
})
@Roles('service', 'admin')
@UseGuards(JsonBodyGuard, JsonDepthGuard) // after AuthGuard (global): 401/403 come first
@Controller('api/v1/batch/runs')
export class IngestionController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
    private readonly leases: RunLeases,
    private readonly reader: RunLogReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start a batch run' })
  @ApiBody({ type: StartRunDto, required: false, description: 'May be empty or absent: a run with a generated id.' })
  @ApiJson(201, StartedRunSchema, 'The run is started.')
  @ApiErrors({
    400: 'A field is invalid or unknown (validation_failed), or a value the rules refuse (invalid_input); malformed JSON (malformed_json).',
    409: 'run_exists: a run with this batch_run_id exists (it is left as it was).',
  })
  async start(@Body() body: StartRunDto) {
    // A generated id can collide (many starts in one second share its stamp): draw again, never 409.
    for (let attempt = 1; ; attempt += 1) {
      const batchRunId = body.batch_run_id ?? generateBatchRunId(this.clock.now());
      try {
        const { state } = await this.commandBus.execute(
          new StartBatchRunCommand({
            batchRunId,
            portfolioId: body.portfolio_id ?? null,
            ownerId: body.owner_id ?? null,
            totalJobs: body.total_jobs,
            phases: body.phases,
          }),
        );
        return { batch_run_id: state.batchRunId, status: state.status, started_at: state.startedAt };
      } catch (error) {
        const collided = body.batch_run_id === undefined && error instanceof RunRuleError && error.code === 'run_exists';
        if (!collided || attempt >= 5) throw error;
      }
    }
  }

  @Post(':batchRunId/logs')
  @ApiOperation({ summary: `Append 1 to ${MAX_ENTRIES_PER_APPEND} log entries; entries whose seq is stored are not stored again` })
  @ApiRunIdParam()
  @ApiJson(201, AppendedSchema, 'The entries are stored (or were already: an idempotent retry).')
  @ApiErrors({
    400: `An invalid entry, 0 or more than ${MAX_ENTRIES_PER_APPEND} entries, a malformed id; nothing is stored.`,
    404: 'run_not_found: the run does not exist.',
    409: 'run_finished, or seq_gap; nothing is stored.',
  })
  async append(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Body() body: AppendLogsDto) {
    const { state, events } = await this.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: body.entries }));
    const appended = events.reduce((n, e) => n + (e.type === 'LogAppended' ? e.data.entries.length : 0), 0);
    return { appended, last_seq: state.lastSeq };
  }

  @Post(':batchRunId/phases/:phase/complete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Complete a phase with its job counts' })
  @ApiRunIdParam()
  @ApiParam({ name: 'phase', schema: { type: 'string', minLength: 1, maxLength: MAX_PHASE_LENGTH }, description: 'The phase name, URL-encoded.' })
  @ApiBody({ type: CompletePhaseDto, required: false, description: 'May be empty or absent: no job counts, status completed.' })
  @ApiJson(200, RunSchema, 'The run, with the phase completed (the same completion again changes nothing).')
  @ApiErrors({
    400: 'An invalid field or phase name.',
    404: 'run_not_found: the run does not exist.',
    409: 'run_finished; phase_completed (already completed with the other status).',
  })
  async completePhase(
    @Param('batchRunId', BatchRunIdPipe) batchRunId: string,
    @Param('phase') phase: string,
    @Body() body: CompletePhaseDto,
  ) {
    if (phase.length === 0 || phase.length > MAX_PHASE_LENGTH) throw invalid('phase', `must be 1 to ${MAX_PHASE_LENGTH} characters`);
    const { state } = await this.commandBus.execute(
      new CompletePhaseCommand({ batchRunId, phase, completedJobs: body.completed_jobs, failedJobs: body.failed_jobs, status: body.status }),
    );
    return presentRun(recordFromState(state));
  }

  @Post(':batchRunId/heartbeat')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Keep a quiet run alive: renews its lease (RUN_LEASE_SECONDS); appends renew it too' })
  @ApiRunIdParam()
  @ApiJson(200, HeartbeatSchema, 'The lease is renewed.')
  @ApiErrors({
    400: 'A malformed id.',
    404: 'run_not_found: the run does not exist.',
    409: 'run_finished: a finished run has no lease.',
  })
  async heartbeat(@Param('batchRunId', BatchRunIdPipe) batchRunId: string) {
    const renewed = await this.leases.renew([batchRunId]);
    if (renewed.length === 0) {
      const run = await this.reader.findRun(batchRunId);
      throw run ? runFinished(batchRunId, run.status) : runNotFound(batchRunId);
    }
    return { batch_run_id: batchRunId, lease_seconds: this.config.runLeaseSeconds };
  }

  @Post(':batchRunId/finish')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Finish a run as completed, failed or partial' })
  @ApiRunIdParam()
  @ApiJson(200, RunSchema, 'The run, finished (finishing again with the same status changes nothing).')
  @ApiErrors({
    400: 'A missing or other status, an invalid count.',
    404: 'run_not_found: the run does not exist.',
    409: 'run_finished: finished already with another status (the first one stays).',
  })
  async finish(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Body() body: FinishRunDto) {
    const { state } = await this.commandBus.execute(
      new FinishBatchRunCommand({ batchRunId, status: body.status, completedJobs: body.completed_jobs, failedJobs: body.failed_jobs }),
    );
    return presentRun(recordFromState(state));
  }
}
