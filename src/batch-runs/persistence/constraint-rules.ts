/**
 * Rules of the runs that only the database can judge, because they span runs, lanes, group commits
 * and instances: a constraint refuses the write, and the refusal is turned back into the rule error
 * the decider would have thrown, so the caller gets a 4xx with a code instead of a 500.
 */
import { RunCommand } from '../domain/run.commands';
import { portfolioOnboarding, RunRuleError } from '../domain/run.errors';

/** One running onboarding run per portfolio (migrations/1764700000000-OneOnboardingRunPerPortfolio.ts). */
export const ONBOARDING_PORTFOLIO_CONSTRAINT = 'uq_batch_run_history_onboarding_portfolio';

/** The rule a command broke, if the database's refusal of it was one of these constraints. */
export function ruleBrokenInDatabase(error: unknown, command: RunCommand): RunRuleError | null {
  const e = error as { code?: string; constraint?: string };
  if (e?.code === '23505' && e.constraint === ONBOARDING_PORTFOLIO_CONSTRAINT && command.kind === 'start') {
    return portfolioOnboarding(command.input.portfolioId);
  }
  return null;
}
