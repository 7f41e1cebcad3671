// The Timeline tab's pure part: no DOM, no fetch, so node can import it and its unit tests run without a
// browser (test/console/units/timeline-model.test.mjs). What the entries of a run's events are, how far
// the run had got at any moment (the replay state at time t), the phases as bars, the axis's ticks.

export const LEVELS = ['info', 'warning', 'error'];
export const LEVEL_LABEL = { info: 'INFO', warning: 'WARN', error: 'ERROR' };
export const SPEEDS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250];

// ---- events and their entries ----------------------------------------------------------------------

/** The entries a LogAppended event carries, each tagged with the event's version and time. */
export function entriesOf(event) {
  if (event.type !== 'LogAppended' || !Array.isArray(event.data?.entries)) return [];
  return event.data.entries.map((e) => ({ ...e, version: event.version, at: event.at }));
}

/** One line saying what an event did (data as docs/api.md's "Event stream" defines it). */
export function describeEvent(event) {
  const d = event.data ?? {};
  switch (event.type) {
    case 'BatchRunStarted':
      return `run started (${d.phases?.length ?? 0} phases, ${d.total_jobs ?? 0} jobs)`;
    case 'LogAppended': {
      const n = d.entry_count ?? d.entries?.length ?? 0;
      const first = d.first_seq;
      const last = d.last_seq;
      return `${n} log ${n === 1 ? 'entry' : 'entries'}${first ? ` (seq ${first}${last !== first ? `–${last}` : ''})` : ''}`;
    }
    case 'PhaseCompleted':
      return `${d.phase} ${d.status} (${d.completed_jobs} done, ${d.failed_jobs} failed)`;
    case 'BatchRunFinished':
      return `run finished: ${d.status} (${d.completed_jobs} done, ${d.failed_jobs} failed)${d.reason ? `: ${d.reason}` : ''}`;
    case 'LogEntriesDropped':
      return `${d.count} log ${d.count === 1 ? 'entry' : 'entries'} dropped: the run reached its entry cap at seq ${d.cut_at_seq}`;
    default:
      return event.type;
  }
}

/**
 * Every entry the events brought, in order, grouped by the event that brought it: the replay shows
 * events [0, k) and so the entries [0, countBy(k)).
 */
export class EventEntries {
  constructor() {
    this.entries = [];
    this.afterEvent = []; // entries.length once event i is in
  }

  /** Event `index` (events arrive in order, each once). */
  add(event, index) {
    for (const entry of entriesOf(event)) this.entries.push(entry);
    this.afterEvent[index] = this.entries.length;
  }

  /** How many entries events [0, k) brought. */
  countBy(k) {
    return k === 0 ? 0 : this.afterEvent[k - 1];
  }
}

// ---- the run's time, and the replay state at time t ------------------------------------------------

/** How many events had happened by time t (events in version order; the first one after t stops the count). */
export function eventsBy(events, t) {
  let k = 0;
  while (k < events.length && events[k].at <= t) k += 1;
  return k;
}

/** The start of the run: its first event, else the timeline's started_at, else now. */
export function runStart(events, full, now) {
  return events[0]?.at ?? (full?.started_at ? Date.parse(full.started_at) : now);
}

/** The end of the run: its last event (a finished run, or its completed_at if later), or now (a running one). */
export function runEnd(events, full, finished, now) {
  const lastEventAt = events[events.length - 1]?.at ?? runStart(events, full, now);
  if (finished) return Math.max(lastEventAt, full?.completed_at ? Date.parse(full.completed_at) : 0);
  return Math.max(now, lastEventAt);
}

/**
 * Where the cursor goes when asked for `next` (ms since the epoch, or null: the end / live). At or past
 * the end it becomes null, except while a running run is being played (it then catches up with now).
 */
export function clampCursor(next, { start, end, finished, playing }) {
  if (next !== null && next >= end && (finished || !playing)) return null;
  return next === null ? null : Math.max(start, next);
}

/**
 * The cursor one event back or forward from `cursor`: the time of that event, null (the end) when
 * stepping forward past the last one, or undefined when there is nothing to step to.
 */
export function stepCursor(events, cursor, direction) {
  if (!events.length) return undefined;
  const k = cursor === null ? events.length : eventsBy(events, cursor);
  if (direction > 0 && k >= events.length) return null;
  // k events are in; the previous event is k-2 (so k-1 are in), the next one is k.
  const target = direction < 0 ? Math.max(0, k - 2) : Math.min(events.length - 1, k);
  return events[target].at;
}

/** A speed at which the whole run replays in about half a minute or less. */
export function pickSpeed(duration) {
  return SPEEDS.find((s) => s >= 1 && duration / s <= 30_000) ?? SPEEDS[SPEEDS.length - 1];
}

/** What the player is doing: playing, live (a running run at its end), end (of a finished run), paused. */
export function playerState({ cursor, finished, playing }) {
  if (playing) return 'playing';
  if (cursor === null) return finished ? 'end' : 'live';
  return 'paused';
}

/**
 * The run as the replay has it at time t (cursor null: the end, or now for a running run): how many
 * events and entries are in, and the last event.
 */
export function replayStateAt(events, grouped, cursor) {
  const eventCount = cursor === null ? events.length : eventsBy(events, cursor);
  return { eventCount, entryCount: grouped.countBy(eventCount), event: events[eventCount - 1] ?? null };
}

/** The scrubber's range input for a run from start to end with the cursor at `at` (about 1,000 steps). */
export function scrubberModel({ start, end, cursor, at }) {
  const duration = Math.max(1, end - start);
  const step = Math.max(1, Math.round(duration / 1000));
  const max = Math.ceil(duration / step) * step;
  const value = cursor === null ? max : Math.min(max, Math.round((at - start) / step) * step);
  return { duration, step, max, value };
}

// ---- phases as bars ----------------------------------------------------------------------------------

/**
 * Each phase as a bar on the time axis at time `at`: a phase still open when its run finished never
 * completed, so it is drawn to the run's end and marked unfinished. start/end are ms (null: not started).
 */
export function phaseBars(phases, { runStatus, runCompletedAt, at }) {
  return phases.map((phase) => {
    const p = phase.status === 'running' && runStatus !== 'running'
      ? { ...phase, status: 'unfinished', completed_at: runCompletedAt ?? new Date(at).toISOString() }
      : phase;
    const failed = p.status === 'failed';
    const unfinished = p.status === 'unfinished';
    const mark = failed ? '✕ ' : unfinished ? '⚠ ' : '';
    const stats = `${formatCount(p.entry_count)} ${p.entry_count === 1 ? 'entry' : 'entries'}`
      + (p.warning_count ? ` · ${p.warning_count} warn` : '') + (p.error_count ? ` · ${p.error_count} err` : '');
    let start = null;
    let end = null;
    if (p.started_at) {
      start = Date.parse(p.started_at);
      end = p.completed_at ? Date.parse(p.completed_at) : p.status === 'running' ? at : start;
    }
    return { phase: p, failed, unfinished, mark, stats, start, end };
  });
}

/** Warnings and errors among entries [0, upTo), by phase (at most `perPhase` each: dots on its row). */
export function markersByPhase(entries, upTo, perPhase = 300) {
  const byPhase = new Map();
  for (let i = 0; i < upTo; i += 1) {
    const e = entries[i];
    if (e.level === 'info' || e.phase === null) continue;
    const list = byPhase.get(e.phase) ?? [];
    if (list.length < perPhase) list.push(e);
    byPhase.set(e.phase, list);
  }
  return byPhase;
}

/** Entries [0, upTo) per level. */
export function levelCounts(entries, upTo) {
  const perLevel = { info: 0, warning: 0, error: 0 };
  for (let i = 0; i < upTo; i += 1) perLevel[entries[i].level] += 1;
  return perLevel;
}

// ---- the time axis -------------------------------------------------------------------------------------

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 21600e3, 43200e3, 86400e3];

/** Round offsets (ms from the start) for an axis `width` px wide showing `span` ms, about one every 90 px. */
export function ticks(span, width) {
  const wanted = Math.max(2, Math.floor(width / 90));
  const step = STEPS.find((s) => span / s <= wanted) ?? span / wanted;
  const out = [];
  for (let t = 0; t <= span + 1e-6; t += step) out.push(t);
  return out;
}

/** A tick's label, in the unit the whole span reads best in (none at 0: the caption is there). */
export function tickLabel(ms, span) {
  if (ms === 0) return '';
  if (span < 2000) return `${Math.round(ms)} ms`;
  if (span < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (span < 7_200_000) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} h`;
}

export function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

// ---- the log's filters -----------------------------------------------------------------------------------

/** Whether an entry passes the log's filters: { levels: Set, phase: '' | name, text: lower-case needle }. */
export function matchesFilters(entry, filters, text = entry.message) {
  return filters.levels.has(entry.level)
    && (!filters.phase || entry.phase === filters.phase)
    && (!filters.text || text.toLowerCase().includes(filters.text) || (entry.phase ?? '').toLowerCase().includes(filters.text));
}

const numberFormat = new Intl.NumberFormat('en-US');
const formatCount = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));
