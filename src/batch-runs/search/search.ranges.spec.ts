import { codePointRanges, substringRanges } from './search.ranges';

describe('substringRanges', () => {
  it('every occurrence, ignoring case, in UTF-16 offsets, end exclusive', () => {
    expect(substringRanges('Error: ERROR again, error', 'error')).toEqual([[0, 5], [7, 12], [20, 25]]);
  });
  it('regex characters in q are literal', () => {
    expect(substringRanges('a.b a+b (x) [y] \\z', 'a+b')).toEqual([[4, 7]]);
    expect(substringRanges('a.b axb', 'a.b')).toEqual([[0, 3]]);
    expect(substringRanges('(x) [y] \\z $^', '\\z $^')).toEqual([[8, 13]]);
  });
  it('offsets count UTF-16 code units: an emoji before the match counts 2', () => {
    expect(substringRanges('😀 disk full', 'DISK')).toEqual([[3, 7]]);
  });
  it('at most `max` ranges; none for an empty q', () => {
    expect(substringRanges('aaaa', 'a', 2)).toEqual([[0, 1], [1, 2]]);
    expect(substringRanges('abc', '')).toEqual([]);
  });
});

describe('codePointRanges', () => {
  it("PostgreSQL's 1-based code point positions become 0-based UTF-16 ranges", () => {
    expect(codePointRanges('disk full', [1, 5, 6, 10])).toEqual([[0, 4], [5, 9]]);
  });
  it('a character outside the BMP shifts later offsets by one', () => {
    // "😀 full": 😀 is code point 1 (UTF-16 0-1), "full" code points 3-6 (UTF-16 3-6)
    expect(codePointRanges('😀 full', [3, 7])).toEqual([[3, 7]]);
    expect(codePointRanges('😀 full', [1, 2])).toEqual([[0, 2]]);
  });
  it('empty matches mark nothing', () => {
    expect(codePointRanges('abc', [1, 1, 2, 2])).toEqual([]);
    expect(codePointRanges('abc', [])).toEqual([]);
  });
});
