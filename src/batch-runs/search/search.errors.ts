/** The two ways a search itself is refused (400, field q), in the run rules' shape (run-rule-error.filter.ts). */
import { RunRuleError } from '../domain/run.errors';

export const SEARCH_TOO_BROAD = 'search_too_broad';
export const INVALID_REGEX = 'invalid_regex';

/** PostgreSQL's SQLSTATEs: a statement cancelled by statement_timeout, an invalid regular expression. */
export const QUERY_CANCELED = '57014';
export const INVALID_REGULAR_EXPRESSION = '2201B';

export const searchTooBroad = (timeoutMs: number) =>
  new RunRuleError(
    'invalid',
    SEARCH_TOO_BROAD,
    `q: the search ran past its time limit (${timeoutMs} ms); narrow it with a more specific q, level, phase, status, portfolio_id or since/until`,
    'q',
  );

export const invalidRegex = (detail: string) => new RunRuleError('invalid', INVALID_REGEX, `q: not a valid regular expression (${detail})`, 'q');

/** A database error as the client's refusal it means, or the error itself. */
export function searchFailure(error: unknown, timeoutMs: number): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === QUERY_CANCELED) return searchTooBroad(timeoutMs);
  // A valid pattern the engine gives up on ("regular expression is too complex", PostgreSQL 15 for what 18
  // runs until the timeout), or one the statement timeout stopped inside the regex engine, which reports
  // it as its own error ("invalid regular expression: operation cancelled"), is a search too broad, not a
  // malformed one.
  if (code === INVALID_REGULAR_EXPRESSION && /too complex|out of memory|cancel/i.test(String((error as Error).message))) return searchTooBroad(timeoutMs);
  if (code === INVALID_REGULAR_EXPRESSION) return invalidRegex(String((error as Error).message).replace(/^invalid regular expression: /, ''));
  return error;
}
