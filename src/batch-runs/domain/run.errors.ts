/**
 * Rule violations the decider reports. Each carries a kind the HTTP layer maps to a status code
 * (not_found 404, conflict 409, invalid 400) so the rules never leak HTTP into the domain.
 */
export type RunErrorKind = 'not_found' | 'conflict' | 'invalid';

export class RunRuleError extends Error {
  constructor(
    readonly kind: RunErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RunRuleError';
  }
}

export const runNotFound = (id: string) =>
  new RunRuleError('not_found', 'run_not_found', `batch run ${JSON.stringify(id)} does not exist`);

export const runAlreadyExists = (id: string) =>
  new RunRuleError('conflict', 'run_exists', `batch run ${JSON.stringify(id)} already exists`);

export const runFinished = (id: string, status: string) =>
  new RunRuleError('conflict', 'run_finished', `batch run ${JSON.stringify(id)} is already finished (${status})`);

/** Another onboarding run of the portfolio is running: the database's unique index said so (group-committer.ts). */
export const portfolioOnboarding = (portfolioId: string | null | undefined) =>
  new RunRuleError(
    'conflict',
    'portfolio_onboarding',
    `portfolio ${portfolioId} is already onboarding: one onboarding run of a portfolio runs at a time`,
    'portfolio_id',
  );

export const invalid = (field: string, message: string) =>
  new RunRuleError('invalid', 'invalid_input', `${field}: ${message}`, field);

export const seqGap = (expected: number, got: number) =>
  new RunRuleError(
    'conflict',
    'seq_gap',
    `entries.seq: expected ${expected} (the next seq of this run) but got ${got}; seqs are contiguous`,
    'entries.seq',
  );

/** GET .../compare?with=last_completed found no completed run of the same portfolio (or batch name) to compare with. */
export const noComparableRun = (id: string, of: string) =>
  new RunRuleError('not_found', 'no_comparable_run', `no completed run other than ${JSON.stringify(id)} of ${of} to compare with`, 'with');
