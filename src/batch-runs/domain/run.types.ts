/** The small vocabulary of a batch run, shared by the domain, persistence and HTTP layers. */
export const LOG_LEVELS = ['info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const RUN_STATUSES = ['running', 'completed', 'failed', 'partial'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const FINISH_STATUSES = ['completed', 'failed', 'partial'] as const;
export type FinishStatus = (typeof FINISH_STATUSES)[number];

export const PHASE_STATUSES = ['completed', 'failed'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}
