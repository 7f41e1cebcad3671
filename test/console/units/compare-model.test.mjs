// The Compare tab's pure model (src/admin-console/public/compare-model.js) under node without a
// browser: its addresses, the API query, the phases side by side with deltas, the differing lines' links.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareHref, compareModel, compareQuery, compareWithOf, describeNormalisation, formatCountDelta, formatDelta, LAST_COMPLETED, lineHref, phaseRows,
} from '../../../src/admin-console/public/compare-model.js';

const run = (id, status = 'completed') => ({ batch_run_id: id, status, portfolio_id: null, started_at: '2026-01-11T02:00:00.000Z', completed_at: null });
const line = (seq, message, level = 'info', phase = 'load') => ({ seq, timestamp: '2026-01-11T02:00:01.000Z', level, phase, message });

const answer = {
  run: run('nightly-2026-01-12', 'failed'),
  other: run('nightly 2026/01/11'),
  phases: [
    { name: 'extract', run: { status: 'completed', duration_ms: 4000, entry_count: 10 }, other: { status: 'completed', duration_ms: 2500, entry_count: 12 } },
    { name: 'load', run: { status: 'failed', duration_ms: null, entry_count: 3 }, other: { status: 'completed', duration_ms: 900, entry_count: 3 } },
    { name: 'report', run: null, other: { status: 'completed', duration_ms: 10, entry_count: 1 } },
  ],
  only_in_run: [line(7, 'connection reset', 'error'), line(9, 'retrying', 'warning')],
  only_in_other: [line(6, 'vacuum done')],
  truncated: false,
  normalisation: ['ansi', 'uuid', 'timestamp', 'hex_id', 'number', 'whitespace'],
};

describe('addresses', () => {
  it('a comparison with the last completed run, or with a named run (encoded)', () => {
    assert.equal(compareHref('r 1'), '#/runs/r%201/compare');
    assert.equal(compareHref('r1', LAST_COMPLETED), '#/runs/r1/compare');
    assert.equal(compareHref('r1', 'a/b'), '#/runs/r1/compare?with=a%2Fb');
  });

  it('reads the run to compare with from the address, last_completed by default', () => {
    assert.equal(compareWithOf('#/runs/r1/compare'), LAST_COMPLETED);
    assert.equal(compareWithOf('#/runs/r1/compare?with=r0'), 'r0');
    assert.equal(compareWithOf('#/runs/r1/compare?with=a%2Fb'), 'a/b');
    assert.equal(compareWithOf('#/runs/r1/compare?with='), LAST_COMPLETED);
    assert.equal(compareWithOf(compareHref('r1', 'x y')), 'x y');
  });

  it('asks the API for the comparison with its limit', () => {
    assert.equal(compareQuery('last_completed'), '/compare?with=last_completed&limit=200');
    assert.equal(compareQuery('a b', 5), '/compare?with=a+b&limit=5');
  });

  it('links a line to its line in its run\'s log', () => {
    assert.equal(lineHref('nightly 2026/01/11', 6), '#/runs/nightly%202026%2F01%2F11/log?lines=6');
  });
});

describe('phases side by side', () => {
  it('says what changed from the other run to this one: status, duration, entries', () => {
    const [extract, load, report] = phaseRows(answer.phases);
    assert.deepEqual(
      { presence: extract.presence, statusChanged: extract.statusChanged, d: extract.durationDelta, dt: extract.durationDeltaText, e: extract.entryDelta, et: extract.entryDeltaText },
      { presence: 'both', statusChanged: false, d: 1500, dt: '+1.5 s', e: -2, et: '−2' },
    );
    assert.equal(load.statusChanged, true);
    assert.equal(load.durationDelta, null); // this run's load never ended
    assert.equal(load.durationDeltaText, null);
    assert.equal(load.entryDeltaText, '±0');
    assert.deepEqual([report.presence, report.statusChanged, report.run, report.entryDelta], ['other', true, null, null]);
  });

  it('formats deltas with their sign', () => {
    assert.equal(formatDelta(-850), '−850 ms');
    assert.equal(formatDelta(0), '±0 ms');
    assert.equal(formatDelta(65_000), '+1 min 05 s');
    assert.equal(formatCountDelta(1234), '+1,234');
    assert.equal(formatCountDelta(null), null);
  });
});

describe('the comparison', () => {
  it('links each differing line to its own run\'s log, in the order the API gave', () => {
    const m = compareModel(answer);
    assert.deepEqual(m.onlyInRun.map((l) => [l.seq, l.href]), [[7, '#/runs/nightly-2026-01-12/log?lines=7'], [9, '#/runs/nightly-2026-01-12/log?lines=9']]);
    assert.deepEqual(m.onlyInOther.map((l) => l.href), ['#/runs/nightly%202026%2F01%2F11/log?lines=6']);
    assert.equal(m.onlyInRun[0].message, 'connection reset');
    assert.equal(m.other.href, '#/runs/nightly%202026%2F01%2F11');
    assert.equal(m.identical, false);
    assert.equal(m.summary, '2 lines only in this run, 1 only in nightly 2026/01/11.');
    assert.equal(m.normalisation, 'ANSI codes, UUIDs, timestamps, hex ids, numbers and whitespace');
  });

  it('says when the logs have the same lines, and when the lists were cut', () => {
    const same = compareModel({ ...answer, only_in_run: [], only_in_other: [] });
    assert.equal(same.identical, true);
    assert.equal(same.summary, 'The two logs have the same lines.');
    const cut = compareModel({ ...answer, only_in_run: [line(1, 'a')], truncated: true });
    assert.equal(cut.truncated, true);
    assert.equal(cut.identical, false);
    assert.equal(cut.summary, '1 or more lines only in this run, 1 or more only in nightly 2026/01/11.');
    assert.equal(describeNormalisation(['number']), 'numbers');
    assert.equal(describeNormalisation([]), '');
  });
});
