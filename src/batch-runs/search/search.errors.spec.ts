import { INVALID_REGEX, SEARCH_TOO_BROAD, searchFailure } from './search.errors';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('searchFailure: a database error as the refusal it means', () => {
  it.each([
    ['a statement timeout', pgError('57014', 'canceling statement due to statement timeout'), SEARCH_TOO_BROAD],
    ['a pattern PostgreSQL 15 calls too complex', pgError('2201B', 'invalid regular expression: regular expression is too complex'), SEARCH_TOO_BROAD],
    ['the timeout striking inside the regex engine', pgError('2201B', 'invalid regular expression: operation cancelled'), SEARCH_TOO_BROAD],
    ['a malformed pattern', pgError('2201B', 'invalid regular expression: parentheses () not balanced'), INVALID_REGEX],
  ])('%s', (_what, error, code) => {
    expect(searchFailure(error, 250)).toMatchObject({ code, field: 'q' });
  });

  it('names the detail of a malformed pattern, and passes any other error through', () => {
    expect((searchFailure(pgError('2201B', 'invalid regular expression: brackets [] not balanced'), 250) as Error).message).toBe(
      'q: not a valid regular expression (brackets [] not balanced)',
    );
    const other = pgError('57P01', 'terminating connection due to administrator command');
    expect(searchFailure(other, 250)).toBe(other);
  });
});
