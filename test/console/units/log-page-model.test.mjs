// The Log lines tab's pure model (src/admin-console/public/log-page-model.js) under node: the lines a
// link names, the API window around them, the pages before and after, merging pages, the range text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aroundQuery, aroundWindow, covers, earlierQuery, extendSelection, firstQuery, isSelected, laterQuery, linesValue, mergePage, parseLines, rangeText,
} from '../../../src/admin-console/public/log-page-model.js';

const entries = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, message: `line ${from + i}` }));

describe('the lines a link names', () => {
  it('reads ?lines=a and ?lines=a-b (either order) and refuses anything else', () => {
    assert.deepEqual(parseLines('#/runs/r1/log?lines=822'), { from: 822, to: 822 });
    assert.deepEqual(parseLines('#/runs/r1/log?lines=822-830'), { from: 822, to: 830 });
    assert.deepEqual(parseLines('#/runs/r1/log?lines=830-822'), { from: 822, to: 830 });
    for (const bad of ['#/runs/r1/log', '#/runs/r1/log?lines=', '#/runs/r1/log?lines=0', '#/runs/r1/log?lines=a', '#/runs/r1/log?lines=1-2-3', '#/runs/r1/log?lines=99999999999', '#/runs/r1/log?lines=-5']) {
      assert.equal(parseLines(bad), null, bad);
    }
    assert.equal(linesValue({ from: 5, to: 5 }), '5');
    assert.equal(linesValue({ from: 5, to: 9 }), '5-9');
  });
});

describe('the pages to load', () => {
  it('loads the lines with 50 entries either side, around their middle', () => {
    assert.deepEqual(aroundWindow({ from: 822, to: 822 }), { around_seq: 822, context: 50 });
    assert.deepEqual(aroundWindow({ from: 822, to: 830 }), { around_seq: 826, context: 54 });
    assert.equal(aroundQuery({ from: 822, to: 830 }), 'format=json&around_seq=826&context=54');
    // wider than the API's 1,000 either side: from the first line on
    assert.deepEqual(aroundWindow({ from: 1, to: 5000 }), { around_seq: 951, context: 1000 });
  });

  it('pages before and after with after_seq/limit, none before seq 1 or when nothing follows', () => {
    assert.equal(earlierQuery(772), 'format=json&after_seq=571&limit=200');
    assert.equal(earlierQuery(50), 'format=json&after_seq=0&limit=49');
    assert.equal(earlierQuery(1), null);
    assert.equal(earlierQuery(null), null);
    assert.equal(laterQuery(880), 'format=json&after_seq=880&limit=200');
    assert.equal(laterQuery(null), null);
    assert.equal(firstQuery(), 'format=json&after_seq=0&limit=200');
  });

  it('merges pages in seq order, each line once, keeping the later page\'s next_after_seq', () => {
    let state = mergePage(null, { entries: entries(772, 880), total_entries: 3000, dropped_entries: 0, next_after_seq: 880 });
    assert.deepEqual([state.first, state.last, state.total, state.nextAfterSeq], [772, 880, 3000, 880]);
    state = mergePage(state, { entries: entries(572, 771), total_entries: 3000, next_after_seq: 771 }, { later: false });
    assert.deepEqual([state.first, state.last, state.nextAfterSeq, state.entries.length], [572, 880, 880, 309]);
    state = mergePage(state, { entries: entries(870, 1080), total_entries: 3000, next_after_seq: 1080 });
    assert.deepEqual([state.first, state.last, state.nextAfterSeq, state.entries.length], [572, 1080, 1080, 509]);
    assert.deepEqual(state.entries.map((e) => e.seq), entries(572, 1080).map((e) => e.seq));
    assert.equal(rangeText(state), 'entries 572–1,080 of 3,000');
    assert.equal(rangeText(mergePage(null, { entries: [], total_entries: 0, next_after_seq: null })), 'no entries of 0');
    assert.equal(covers(state, { from: 600, to: 700 }), true);
    assert.equal(covers(state, { from: 500, to: 700 }), false);
    assert.equal(covers(null, { from: 1, to: 1 }), false);
  });
});

describe('selecting lines', () => {
  it('a shift-click selects from the anchor to the line, either way', () => {
    assert.deepEqual(extendSelection(835, 840), { from: 835, to: 840 });
    assert.deepEqual(extendSelection(835, 830), { from: 830, to: 835 });
    assert.deepEqual(extendSelection(null, 7), { from: 7, to: 7 });
    assert.equal(isSelected({ from: 830, to: 835 }, 835), true);
    assert.equal(isSelected({ from: 830, to: 835 }, 836), false);
    assert.equal(isSelected(null, 1), false);
  });
});
