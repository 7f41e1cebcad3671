import { likePattern, regexChunkPattern, searchPatterns } from './search.pattern';

describe('search patterns', () => {
  it('a substring: ILIKE with % _ and \\ escaped, the same pattern for lines and chunks', () => {
    expect(likePattern('50%_off\\now')).toBe('%50\\%\\_off\\\\now%');
    expect(searchPatterns('disk', false)).toEqual({ mode: 'substring', line: '%disk%', chunk: '%disk%' });
  });
  it("a regex: chunks are matched in ARE's weird newline-sensitive mode, after the query's own options", () => {
    expect(regexChunkPattern('^error$')).toBe('(?w)^error$');
    expect(regexChunkPattern('(?x) error ')).toBe('(?xw) error ');
    expect(searchPatterns('a.b', true)).toEqual({ mode: 'regex', line: 'a.b', chunk: '(?w)a.b' });
  });
  it('what a chunk cannot answer for (\\A, \\Z, negative lookaround, *** directors) scans every line', () => {
    for (const q of ['\\Aerror', 'error\\Z', 'a(?!b)', '(?<!x)y', '***=a.b', '***:(?i)x', '(?c)Error', '(?xc)E']) expect(regexChunkPattern(q)).toBeNull();
    expect(regexChunkPattern('\\\\A')).toBe('(?w)\\\\A'); // an escaped backslash, then a plain A
  });
});
