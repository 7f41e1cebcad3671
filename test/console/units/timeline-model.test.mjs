// The Timeline tab's pure model (src/admin-console/public/timeline-model.js) and its player state
// machine (player.js), under node without a browser: entries grouped by event, the replay state at
// time t, cursor moves, phase bars, the axis's ticks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Player } from '../../../src/admin-console/public/player.js';
import {
  clampCursor, describeEvent, entriesOf, EventEntries, eventsBy, levelCounts, markersByPhase, matchesFilters, phaseBars,
  pickSpeed, playerState, replayStateAt, runEnd, runStart, scrubberModel, stepCursor, tickLabel, ticks,
} from '../../../src/admin-console/public/timeline-model.js';

const T0 = Date.parse('2026-01-11T14:00:00.000Z');
const entry = (seq, level = 'info', phase = 'Load', message = `line ${seq}`) => ({ seq, level, phase, message, timestamp: new Date(T0 + seq).toISOString() });
const started = { version: 1, type: 'BatchRunStarted', at: T0, data: { phases: ['Load'], total_jobs: 1 } };
const logged = (version, at, entries) => ({ version, type: 'LogAppended', at, data: { entries, entry_count: entries.length, first_seq: entries[0]?.seq, last_seq: entries.at(-1)?.seq } });
const finished = (version, at) => ({ version, type: 'BatchRunFinished', at, data: { status: 'completed', completed_jobs: 1, failed_jobs: 0 } });

function sampleRun() {
  const events = [
    started,
    logged(2, T0 + 100, [entry(1), entry(2, 'warning')]),
    logged(3, T0 + 250, [entry(3, 'error', 'Check')]),
    logged(4, T0 + 250, [entry(4)]),
    finished(5, T0 + 400),
  ];
  const grouped = new EventEntries();
  events.forEach((e, i) => grouped.add(e, i));
  return { events, grouped };
}

describe('entries grouped by event', () => {
  it('tags each entry with its event and counts the entries events [0, k) brought', () => {
    const { grouped } = sampleRun();
    assert.deepEqual(grouped.entries.map((e) => [e.seq, e.version, e.at - T0]), [[1, 2, 100], [2, 2, 100], [3, 3, 250], [4, 4, 250]]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => grouped.countBy(k)), [0, 0, 2, 3, 4, 4]);
  });

  it('only LogAppended events with entries carry entries', () => {
    assert.deepEqual(entriesOf(started), []);
    assert.deepEqual(entriesOf({ type: 'LogAppended', data: {} }), []);
    assert.equal(describeEvent(logged(2, T0, [entry(7), entry(9)])), '2 log entries (seq 7–9)');
    assert.equal(describeEvent(finished(5, T0)), 'run finished: completed (1 done, 0 failed)');
  });

  it('counts levels and collects warning and error markers by phase, bounded per phase', () => {
    const { grouped } = sampleRun();
    assert.deepEqual(levelCounts(grouped.entries, 3), { info: 1, warning: 1, error: 1 });
    const markers = markersByPhase(grouped.entries, 4);
    assert.deepEqual([...markers.keys()], ['Load', 'Check']);
    assert.deepEqual(markers.get('Load').map((e) => e.seq), [2]);
    const many = Array.from({ length: 10 }, (_, i) => entry(i + 1, 'error'));
    assert.equal(markersByPhase(many, 10, 3).get('Load').length, 3);
  });
});

describe('the replay state at time t', () => {
  it('has the events that happened by t, their entries, and the last of them', () => {
    const { events, grouped } = sampleRun();
    assert.deepEqual(replayStateAt(events, grouped, T0 - 1), { eventCount: 0, entryCount: 0, event: null });
    assert.deepEqual(replayStateAt(events, grouped, T0), { eventCount: 1, entryCount: 0, event: events[0] });
    assert.equal(replayStateAt(events, grouped, T0 + 249).entryCount, 2);
    // two events at the same moment are in together
    assert.deepEqual(replayStateAt(events, grouped, T0 + 250).eventCount, 4);
    assert.equal(replayStateAt(events, grouped, T0 + 250).entryCount, 4);
    // null: the end
    assert.deepEqual(replayStateAt(events, grouped, null), { eventCount: 5, entryCount: 4, event: events[4] });
    assert.equal(eventsBy(events, T0 + 10_000), 5);
  });

  it('bounds a run by its first event and its last event (finished) or now (running)', () => {
    const { events } = sampleRun();
    assert.equal(runStart(events, null, 0), T0);
    assert.equal(runStart([], { started_at: '2026-01-11T13:00:00.000Z' }, 0), Date.parse('2026-01-11T13:00:00.000Z'));
    assert.equal(runEnd(events, { completed_at: null }, true, T0 + 9999), T0 + 400);
    assert.equal(runEnd(events, { completed_at: new Date(T0 + 500).toISOString() }, true, 0), T0 + 500);
    assert.equal(runEnd(events, null, false, T0 + 9999), T0 + 9999);
  });

  it('clamps the cursor: before the start is the start, at the end is null except while a running run plays', () => {
    const bounds = { start: T0, end: T0 + 400 };
    assert.equal(clampCursor(T0 - 50, { ...bounds, finished: true, playing: false }), T0);
    assert.equal(clampCursor(T0 + 400, { ...bounds, finished: true, playing: true }), null);
    assert.equal(clampCursor(T0 + 500, { ...bounds, finished: false, playing: false }), null);
    assert.equal(clampCursor(T0 + 500, { ...bounds, finished: false, playing: true }), T0 + 500);
    assert.equal(clampCursor(null, { ...bounds, finished: true, playing: false }), null);
  });

  it('steps one event back or forward', () => {
    const { events } = sampleRun();
    assert.equal(stepCursor(events, null, -1), T0 + 250); // from the end: back to the one before the last
    assert.equal(stepCursor(events, T0 + 100, -1), T0); // 2 in: back to 1 in
    assert.equal(stepCursor(events, T0 + 100, 1), T0 + 250);
    assert.equal(stepCursor(events, T0 + 400, 1), null); // past the last: the end
    assert.equal(stepCursor([], null, 1), undefined);
  });

  it('names the player state and sizes the scrubber', () => {
    assert.equal(playerState({ cursor: null, finished: true, playing: false }), 'end');
    assert.equal(playerState({ cursor: null, finished: false, playing: false }), 'live');
    assert.equal(playerState({ cursor: T0, finished: true, playing: false }), 'paused');
    assert.equal(playerState({ cursor: T0, finished: true, playing: true }), 'playing');
    assert.deepEqual(scrubberModel({ start: T0, end: T0 + 400, cursor: T0 + 200, at: T0 + 200 }), { duration: 400, step: 1, max: 400, value: 200 });
    assert.deepEqual(scrubberModel({ start: T0, end: T0 + 60_000, cursor: null, at: T0 + 60_000 }), { duration: 60_000, step: 60, max: 60_000, value: 60_000 });
    assert.equal(pickSpeed(1500), 1);
    assert.equal(pickSpeed(120_000), 5);
    assert.equal(pickSpeed(1e12), 250);
  });
});

describe('the player', () => {
  function player(finished = true) {
    let now = 0;
    const moves = [];
    const p = new Player({ bounds: () => ({ start: T0, end: T0 + 400, finished }), onMove: (c) => moves.push(c), onChange: () => undefined, now: () => now, tickMs: 1e9 });
    return { p, moves, advance: (ms) => { now += ms; p.tick(); } };
  }

  it('replays a finished run from the start at its speed, then stops at the end', () => {
    const { p, moves, advance } = player();
    p.play();
    assert.equal(p.playing, false); // not before the stored events are in
    p.becomeReady();
    p.play();
    assert.equal(p.playing, true);
    assert.equal(p.cursor, T0); // at the end: Replay starts over
    p.setSpeed(2);
    advance(100);
    assert.equal(p.cursor, T0 + 200);
    advance(150);
    assert.equal(p.playing, false);
    assert.equal(p.cursor, null);
    assert.equal(moves.at(-1), null);
    p.destroy();
  });

  it('does not play a running run at its live end; the scrubber and Start move it', () => {
    const { p } = player(false);
    p.becomeReady();
    p.play();
    assert.equal(p.playing, false);
    p.scrub(100, 400);
    assert.equal(p.cursor, T0 + 100);
    p.scrub(400, 400);
    assert.equal(p.cursor, null);
    p.toStart();
    assert.equal(p.cursor, T0);
    assert.equal(p.cursorTime(), T0);
  });
});

describe('phase bars', () => {
  const at = T0 + 300;
  const phase = (name, status, extra = {}) => ({ name, status, started_at: null, completed_at: null, duration_ms: null, entry_count: 0, warning_count: 0, error_count: 0, ...extra });

  it('draws completed, failed, running and pending phases, and marks one left open by a finished run unfinished', () => {
    const bars = phaseBars([
      phase('A', 'completed', { started_at: new Date(T0).toISOString(), completed_at: new Date(T0 + 100).toISOString(), entry_count: 1 }),
      phase('B', 'failed', { started_at: new Date(T0 + 100).toISOString(), completed_at: new Date(T0 + 200).toISOString(), entry_count: 1200, error_count: 2 }),
      phase('C', 'running', { started_at: new Date(T0 + 200).toISOString() }),
      phase('D', 'pending'),
    ], { runStatus: 'running', runCompletedAt: null, at });
    assert.deepEqual(bars.map((b) => [b.phase.status, b.start === null ? null : b.start - T0, b.end === null ? null : b.end - T0, b.mark]),
      [['completed', 0, 100, ''], ['failed', 100, 200, '✕ '], ['running', 200, 300, ''], ['pending', null, null, '']]);
    assert.equal(bars[0].stats, '1 entry');
    assert.equal(bars[1].stats, '1,200 entries · 2 err');

    const [open] = phaseBars([phase('C', 'running', { started_at: new Date(T0 + 200).toISOString() })], { runStatus: 'failed', runCompletedAt: new Date(T0 + 350).toISOString(), at });
    assert.equal(open.phase.status, 'unfinished');
    assert.equal(open.unfinished, true);
    assert.equal(open.mark, '⚠ ');
    assert.equal(open.end - T0, 350);
  });
});

describe('time ticks', () => {
  it('puts round offsets about every 90 px, from 0 to the span', () => {
    assert.deepEqual(ticks(1000, 450), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(ticks(60_000, 270), [0, 30_000, 60_000]);
    const long = ticks(3 * 86_400_000, 900);
    assert.equal(long[0], 0);
    assert.ok(long.length <= 11 && long.length >= 2);
    for (const t of ticks(7_777, 600)) assert.ok(t <= 7_777);
  });

  it('labels ticks in the unit the span reads best in', () => {
    assert.equal(tickLabel(0, 1000), '');
    assert.equal(tickLabel(250, 1000), '250 ms');
    assert.equal(tickLabel(1500, 10_000), '1.5 s');
    assert.equal(tickLabel(125_000, 600_000), '2:05');
    assert.equal(tickLabel(3_900_000, 10_000_000), '1:05 h');
  });
});

describe('log filters', () => {
  it('match level, phase and text (message or phase, case-insensitive)', () => {
    const filters = { levels: new Set(['info', 'error']), phase: '', text: '' };
    assert.equal(matchesFilters(entry(1, 'warning'), filters), false);
    assert.equal(matchesFilters(entry(1, 'info'), { ...filters, phase: 'Check' }), false);
    assert.equal(matchesFilters(entry(1, 'info', 'Load', 'Loaded 12 ROWS'), { ...filters, text: 'rows' }), true);
    assert.equal(matchesFilters(entry(1, 'info', 'Load', 'x'), { ...filters, text: 'load' }), true);
    assert.equal(matchesFilters(entry(1, 'info', 'Load', 'x'), { ...filters, text: 'nope' }), false);
  });
});
