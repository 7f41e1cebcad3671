// The search views' model (src/admin-console/public/search-model.js) under plain node: highlighting
// from the API's ranges, the blocks of lines around matches, links to lines, and the query strings of
// the API and of the console's linkable hash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acrossApiPath, appendRuns, checkParams, highlightSegments, isoToLocalInput, lineLink, localInputToIso, matchBlocks,
  matchView, mergeRanges, normaliseParams, parseSearchHash, runResultView, runSearchApiSuffix, runSearchHash, searchErrorMessage,
  searchHash,
} from '../../../src/admin-console/public/search-model.js';

const marked = (segments) => segments.filter((s) => s.mark).map((s) => s.text);
const joined = (segments) => segments.map((s) => s.text).join('');
const entry = (seq, message = `line ${seq}`, level = 'info', phase = 'load') => ({ seq, timestamp: `2026-01-11T10:00:${String(seq % 60).padStart(2, '0')}.000Z`, level, phase, message });
const match = (seq, before = [], after = [], text = `line ${seq}`, ranges = [[0, 4]]) => ({ entry: entry(seq, text), text, ranges, before: before.map((s) => entry(s)), after: after.map((s) => entry(s)) });

describe('highlightSegments', () => {
  it('cuts the text into plain and marked segments that together are the whole text', () => {
    const segments = highlightSegments('row 9,114: quantity is not a number', [[11, 19], [29, 35]]);
    assert.deepEqual(segments, [
      { text: 'row 9,114: ', mark: false },
      { text: 'quantity', mark: true },
      { text: ' is not a ', mark: false },
      { text: 'number', mark: true },
    ]);
  });

  it('merges overlapping and touching ranges, in any order', () => {
    const segments = highlightSegments('abcdefghij', [[6, 8], [1, 4], [2, 5], [5, 6]]);
    assert.deepEqual(marked(segments), ['bcdefgh']);
    assert.equal(joined(segments), 'abcdefghij');
  });

  it('clamps ranges running past the text and drops empty, reversed and malformed ones', () => {
    const segments = highlightSegments('short', [[-3, 2], [4, 99], [3, 3], [4, 1], ['x', 2], [1], null, 'no']);
    assert.deepEqual(segments, [{ text: 'sh', mark: true }, { text: 'or', mark: false }, { text: 't', mark: true }]);
    assert.deepEqual(highlightSegments('abc', [[10, 20]]), [{ text: 'abc', mark: false }]);
  });

  it('without ranges, or for an empty text, is one plain segment', () => {
    assert.deepEqual(highlightSegments('plain', undefined), [{ text: 'plain', mark: false }]);
    assert.deepEqual(highlightSegments('', [[0, 3]]), [{ text: '', mark: false }]);
    assert.deepEqual(highlightSegments('all', [[0, 3]]), [{ text: 'all', mark: true }]);
  });

  it('keeps markup as text (the view sets it as textContent)', () => {
    assert.deepEqual(highlightSegments('<b>x</b>', [[3, 4]]), [{ text: '<b>', mark: false }, { text: 'x', mark: true }, { text: '</b>', mark: false }]);
  });

  it('mergeRanges clamps to the length', () => {
    assert.deepEqual(mergeRanges([[0, 2], [1, 9]], 5), [[0, 5]]);
  });
});

describe('links to lines', () => {
  it('is #/runs/<id>/log?lines=<seq> for a line and a-b for a range (in order)', () => {
    assert.equal(lineLink('run 1/x', 822), '#/runs/run%201%2Fx/log?lines=822');
    assert.equal(lineLink('r', 822, 830), '#/runs/r/log?lines=822-830');
    assert.equal(lineLink('r', 830, 822), '#/runs/r/log?lines=822-830');
    assert.equal(lineLink('r', 5, 5), '#/runs/r/log?lines=5');
  });
});

describe('matchView and matchBlocks', () => {
  it('a match: its highlighted text, its context with links, and the range link', () => {
    const view = matchView('r1', match(10, [8, 9], [11], 'Loading 12 rows', [[8, 10]]));
    assert.equal(view.seq, 10);
    assert.equal(view.link, '#/runs/r1/log?lines=10');
    assert.deepEqual(marked(view.segments), ['12']);
    assert.deepEqual(view.before.map((l) => [l.seq, l.link]), [[8, '#/runs/r1/log?lines=8'], [9, '#/runs/r1/log?lines=9']]);
    assert.deepEqual(view.after.map((l) => l.message), ['line 11']);
    assert.equal(view.rangeLink, '#/runs/r1/log?lines=8-11');
    assert.equal(matchView('r1', match(3)).rangeLink, null);
  });

  it('the hit line shows the text without ANSI codes; context lines keep the message as stored', () => {
    const m = { entry: entry(4, '\u001b[31mfailed\u001b[0m'), text: 'failed', ranges: [[0, 6]], before: [entry(3, '\u001b[1mbold\u001b[0m')], after: [] };
    const view = matchView('r', m);
    assert.equal(joined(view.segments), 'failed');
    assert.equal(view.before[0].message, '\u001b[1mbold\u001b[0m');
  });

  it('matches whose context overlaps or touches share a block; each line once, a match shown as a match', () => {
    const blocks = matchBlocks('r', [
      match(5, [3, 4], [6, 7]),
      match(7, [5, 6], [8, 9]), // overlaps: 5 is a match, not context, in the merged block
      match(12, [10, 11], [13]), // touches 9 + 1 = 10: same block
      match(30, [28, 29], []),
    ]);
    assert.equal(blocks.length, 2);
    assert.deepEqual(blocks[0].lines.map((l) => `${l.seq}${l.kind === 'match' ? '*' : ''}`), ['3', '4', '5*', '6', '7*', '8', '9', '10', '11', '12*', '13']);
    assert.equal(blocks[0].link, '#/runs/r/log?lines=3-13');
    assert.deepEqual(blocks[1].lines.map((l) => l.seq), [28, 29, 30]);
    assert.equal(blocks[1].link, '#/runs/r/log?lines=28-30');
  });

  it('without context each match is its own block of one line', () => {
    const blocks = matchBlocks('r', [match(1), match(3)]);
    assert.deepEqual(blocks.map((b) => [b.from, b.to, b.link]), [[1, 1, '#/runs/r/log?lines=1'], [3, 3, '#/runs/r/log?lines=3']]);
    assert.deepEqual(matchBlocks('r', []), []);
  });
});

describe('runResultView and appendRuns', () => {
  const result = {
    run: { batch_run_id: 'nightly 1', status: 'failed', started_at: '2026-01-11T10:00:00.000Z' },
    match_count: 17,
    first_matches: [{ seq: 12, timestamp: 't', level: 'error', phase: 'load', text: 'ISIN unknown', ranges: [[0, 4]] }],
  };

  it('links each first match to its line and the run to its own search with the same words', () => {
    const view = runResultView(result, { q: 'isin', regex: true, level: 'error', status: 'failed' });
    assert.equal(view.matchCount, 17);
    assert.equal(view.moreMatches, 16);
    assert.equal(view.firstMatches[0].link, '#/runs/nightly%201/log?lines=12');
    assert.deepEqual(marked(view.firstMatches[0].segments), ['ISIN']);
    assert.equal(view.runLink, '#/runs/nightly%201');
    assert.equal(view.runSearchLink, '#/runs/nightly%201/search?q=isin&regex=true&level=error');
  });

  it('a further page does not repeat a run already shown', () => {
    const a = { run: { batch_run_id: 'a' } };
    const b = { run: { batch_run_id: 'b' } };
    assert.deepEqual(appendRuns([a, b], [{ run: { batch_run_id: 'b' } }, { run: { batch_run_id: 'c' } }]).map((r) => r.run.batch_run_id), ['a', 'b', 'c']);
  });
});

describe('query strings', () => {
  it('the API path across runs carries every filter set, the limit and the cursor', () => {
    const path = acrossApiPath({ q: 'row 9', regex: true, status: 'failed', portfolio_id: 'p', since: '2026-01-01T00:00:00.000Z', until: '', level: 'error', phase: 'load' }, { limit: 20, cursor: 'abc' });
    const url = new URL(path, 'http://x');
    assert.equal(url.pathname, '/api/v1/admin/search');
    assert.deepEqual(Object.fromEntries(url.searchParams), { q: 'row 9', regex: 'true', status: 'failed', portfolio_id: 'p', phase: 'load', level: 'error', since: '2026-01-01T00:00:00.000Z', limit: '20', cursor: 'abc' });
    assert.equal(acrossApiPath({ q: 'x' }), '/api/v1/admin/search?q=x');
  });

  it('the run search path sends q, regex, level, phase, context (always) and the cursor, not the across-only filters', () => {
    const suffix = runSearchApiSuffix({ q: 'a&b', context: 5, status: 'failed', portfolio_id: 'p' }, { cursor: 'c1', limit: 50 });
    assert.equal(suffix, '/logs/search?q=a%26b&context=5&limit=50&cursor=c1');
    assert.equal(runSearchApiSuffix({ q: 'x' }), '/logs/search?q=x&context=2');
  });

  it('the console hash leaves defaults out and parses back to the same search', () => {
    const params = { q: 'quantity "1,2e"', regex: false, status: 'failed', portfolio_id: '0b8e5a3c-2d41-4f6a-8c9e-7a1b2c3d4e5f', since: '2026-01-11T00:00:00.000Z', until: '2026-01-12T00:00:00.000Z', level: '', phase: 'Validate rows' };
    const hash = searchHash(params);
    assert.match(hash, /^#\/search\?q=/);
    assert.ok(!hash.includes('regex') && !hash.includes('cursor'));
    const parsed = parseSearchHash(hash);
    assert.equal(parsed.kind, 'across');
    assert.deepEqual(parsed.params, normaliseParams(params));
    assert.equal(searchHash({}), '#/search');
  });

  it('a run\'s search hash keeps its run id and context, and parses back', () => {
    const hash = runSearchHash('run/1 x', { q: 'ISIN', regex: true, context: 5, level: 'warning' });
    assert.equal(hash, '#/runs/run%2F1%20x/search?q=ISIN&regex=true&level=warning&context=5');
    const parsed = parseSearchHash(hash);
    assert.deepEqual({ kind: parsed.kind, runId: parsed.runId }, { kind: 'run', runId: 'run/1 x' });
    assert.deepEqual([parsed.params.q, parsed.params.regex, parsed.params.context, parsed.params.level], ['ISIN', true, 5, 'warning']);
    assert.equal(parseSearchHash(runSearchHash('r', { q: 'x', context: 2 })).params.context, 2);
  });

  it('parsing drops what it cannot use and is null for other addresses', () => {
    const parsed = parseSearchHash('#/search?q=x&status=bogus&level=loud&context=99&regex=maybe');
    assert.deepEqual([parsed.params.status, parsed.params.level, parsed.params.regex], ['', '', false]);
    assert.equal(parseSearchHash('#/runs/r/search?q=x&context=99').params.context, 20);
    assert.equal(parseSearchHash('#/runs/r/search?q=x&context=-1').params.context, 0);
    assert.equal(parseSearchHash('#/runs/r/search?q=x&context=two').params.context, 2);
    assert.equal(parseSearchHash('#/search').params.q, '');
    assert.equal(parseSearchHash('#/runs'), null);
    assert.equal(parseSearchHash('#/runs/r/timeline'), null);
    assert.equal(parseSearchHash(''), null);
  });
});

describe('checkParams and searchErrorMessage', () => {
  it('wants words, at most 200 characters, a UUID portfolio and since before until', () => {
    assert.equal(checkParams({ q: '  ' }).field, 'q');
    assert.equal(checkParams({ q: 'x'.repeat(201) }).field, 'q');
    assert.equal(checkParams({ q: 'x'.repeat(200) }), null);
    assert.equal(checkParams({ q: 'x', portfolio_id: 'nope' }).field, 'portfolio_id');
    assert.equal(checkParams({ q: 'x', since: 'yesterday' }).field, 'since');
    assert.equal(checkParams({ q: 'x', since: '2026-01-12T00:00:00Z', until: '2026-01-11T00:00:00Z' }).field, 'until');
    assert.equal(checkParams({ q: 'x', portfolio_id: 'nope' }, 'run'), null);
  });

  it('says what to do for a search too broad or an invalid regular expression, and nothing for other failures', () => {
    assert.match(searchErrorMessage({ status: 400, code: 'search_too_broad', message: 'q: too broad' }), /too broad.*Narrow it/);
    assert.equal(searchErrorMessage({ status: 400, code: 'invalid_regex', message: 'q: brackets [] not balanced' }), 'Not a valid regular expression: q: brackets [] not balanced');
    assert.equal(searchErrorMessage({ status: 400, code: 'validation_failed', message: ['q must be shorter'] }), 'q must be shorter');
    assert.equal(searchErrorMessage({ status: 503, code: 'service_unavailable', message: 'down' }), null);
  });
});

describe('local datetime inputs', () => {
  it('round-trip through ISO in the viewer\'s time zone', () => {
    const iso = localInputToIso('2026-01-11T14:07');
    assert.equal(iso, new Date(2026, 0, 11, 14, 7).toISOString());
    assert.equal(isoToLocalInput(iso), '2026-01-11T14:07');
    assert.equal(localInputToIso(''), '');
    assert.equal(localInputToIso('garbage'), '');
    assert.equal(isoToLocalInput('garbage'), '');
  });
});
