/** The entry point: a client for one runlog server and one token. */
import { randomBytes } from 'crypto';
import { HttpOptions, request, RunlogHttpError } from './http';
import type { components } from './generated/openapi';
import { download, DownloadOptions, follow, FollowedEntry, listRuns, ListRunsOptions, RunDetails, RunSummary, runStatus } from './read';
import { RunHandle, RunOptions } from './run';
import type { Readable } from 'stream';

export interface RunlogClientOptions {
  baseUrl: string;
  /** A bearer token of role service (or admin), passed as it is. */
  token: string;
  /** Defaults: flush every 200 ms, 100,000 lines buffered at most, a heartbeat after 15 s of quiet. */
  run?: Partial<RunOptions>;
  /** Backoff between retries: from minBackoffMs (100) doubling to maxBackoffMs (5000). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Give up on a request runlog does not answer within this long (default: never, for producers; the CLI sets it). */
  giveUpAfterMs?: number;
}

export interface StartRunInput {
  /** Default: generated here, so that a retried start is recognised as the same run. */
  batchRunId?: string;
  portfolioId?: string;
  ownerId?: string;
  phases?: string[];
  totalJobs?: number;
}

export class RunlogClient {
  private readonly http: HttpOptions;
  private readonly runOptions: RunOptions;

  constructor(options: RunlogClientOptions) {
    this.http = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      token: options.token,
      minBackoffMs: options.minBackoffMs ?? 100,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
      giveUpAfterMs: options.giveUpAfterMs,
    };
    this.runOptions = { flushIntervalMs: 200, maxBufferedLines: 100_000, heartbeatMs: 15_000, ...options.run };
  }

  /** Starts a run and returns its handle. A start whose answer was lost and that runlog took is not an error. */
  async startRun(input: StartRunInput = {}): Promise<RunHandle> {
    const batchRunId = input.batchRunId ?? generatedId();
    const body: components['schemas']['StartRunDto'] = {
      batch_run_id: batchRunId,
      portfolio_id: input.portfolioId,
      owner_id: input.ownerId,
      phases: input.phases,
      total_jobs: input.totalJobs,
    };
    const answer = await request(this.http, 'POST', '/api/v1/batch/runs', body);
    // run_exists on a retry: an earlier attempt of this very start was stored before its answer was lost.
    const ours = answer.status === 201 || (answer.status === 409 && answer.body?.code === 'run_exists' && answer.attempts > 1);
    if (!ours) throw new RunlogHttpError(answer.status, answer.body, `starting run ${batchRunId}`);
    return new RunHandle(batchRunId, this.http, this.runOptions);
  }

  /** The run's entries after afterSeq as they are committed; ends when the run finishes (role admin). */
  follow(batchRunId: string, options: { afterSeq?: number } = {}): AsyncGenerator<FollowedEntry> {
    return follow(this.http, batchRunId, options);
  }

  /** The run's log as a byte stream in the format asked (role admin). */
  download(batchRunId: string, options: DownloadOptions = {}): Promise<Readable> {
    return download(this.http, batchRunId, options);
  }

  /** Runs, newest first (role admin). */
  listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    return listRuns(this.http, options);
  }

  /** One run's details (role admin). */
  run(batchRunId: string): Promise<RunDetails> {
    return runStatus(this.http, batchRunId);
  }
}

/** batch_<UTC date>_<time>_<8 hex>: the server's own format, with more randomness (ids are made by many clients). */
function generatedId(): string {
  const iso = new Date().toISOString();
  return `batch_${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}_${randomBytes(4).toString('hex')}`;
}
