/** A batch as its author declares it: ordered phases, each with jobs that report through a context. */
export interface JobContext {
  readonly batchRunId: string;
  readonly phase: string;
  /** Each resolves once the line is durably stored; a job may await it or not (flushed before the phase ends). */
  info(message: string): Promise<void>;
  warn(message: string): Promise<void>;
  error(message: string): Promise<void>;
}

export interface JobDefinition {
  name: string;
  run(ctx: JobContext): Promise<void>;
}

export interface PhaseDefinition {
  name: string;
  jobs: JobDefinition[];
}

export interface BatchDefinition {
  name: string;
  phases: PhaseDefinition[];
  /** When true, a failed phase does not stop the batch, which then finishes as partial. */
  continueOnFailure?: boolean;
}

export interface BatchRunOptions {
  batchRunId?: string;
  portfolioId?: string | null;
  ownerId?: string | null;
  /** An onboarding run: refused (409) while another onboarding run of the portfolio is running. */
  onboarding?: boolean;
}

export interface BatchOutcome {
  batchRunId: string;
  status: 'completed' | 'failed' | 'partial';
  completedJobs: number;
  failedJobs: number;
}
