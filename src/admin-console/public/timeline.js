// The Timeline tab: the phases as a Gantt chart (SVG) on the run's time axis, a player that replays
// the run's events in order (the scrubber shows the run as it stood at any moment, from the API's
// ?at=), and the log under it, coloured by level, filtered by level, phase and text. A running run's
// bars and log grow live from its event stream.

import { apiJson, describeError, isAbort, runPath } from './api.js';
import { clear, formatDuration, formatNumber, formatOffset, formatTime, h, statusBadge, svg } from './dom.js';
import { describeEvent, entriesOf } from './events.js';

const MAX_ROWS = 3000;
const LEVELS = ['info', 'warning', 'error'];
const LEVEL_LABEL = { info: 'INFO', warning: 'WARN', error: 'ERROR' };
const SPEEDS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250];
const TICK_MS = 50;

export function mountTimeline(root, { runId, feed, signal: parentSignal, onRunChanged }) {
  const controller = new AbortController();
  const signal = controller.signal;
  parentSignal.addEventListener('abort', () => controller.abort(), { once: true });

  let full = null; // the run's timeline now
  let view = null; // the run's timeline at the cursor (from ?at=), when the cursor is not at the end
  let cursor = null; // ms since the epoch; null: at the end (a finished run) or live (a running run)
  let playing = false;
  let playTimer = null;
  let lastTick = 0;
  let speed = 1;
  let caughtUp = false;
  const entries = []; // every entry the stream has brought, in order
  const entriesAfterEvent = []; // entries.length once event i is in
  let shownEvents = 0; // events [0, shownEvents) are replayed into the log and the markers
  const filters = { levels: new Set(LEVELS), phase: '', text: '' };

  // ---- layout ------------------------------------------------------------------------------------
  const status = h('p#player-status.player-status', { role: 'status', 'aria-live': 'polite', dataset: { state: 'loading' } }, 'Loading the timeline…');
  const ganttWrap = h('div.gantt-wrap#gantt', { role: 'group', 'aria-label': 'Phases on a time axis (Gantt chart)' });
  const playBtn = h('button.primary#play', { type: 'button', onclick: () => (playing ? pause() : play()) }, '▶ Play');
  const startBtn = h('button.secondary#to-start', { type: 'button', 'aria-label': 'Go to the start of the run', title: 'Start', onclick: () => { pause(); setCursor(t0()); } }, '⇤ Start');
  const prevBtn = h('button.secondary#prev-event', { type: 'button', 'aria-label': 'Previous event', title: 'Previous event', onclick: () => stepEvent(-1) }, '◀ Event');
  const nextBtn = h('button.secondary#next-event', { type: 'button', 'aria-label': 'Next event', title: 'Next event', onclick: () => stepEvent(1) }, 'Event ▶');
  const endBtn = h('button.secondary#to-end', { type: 'button', 'aria-label': 'Go to the end (live for a running run)', title: 'End / live', onclick: () => { pause(); setCursor(null); } }, 'End ⇥');
  const speedSelect = h('select#speed', { 'aria-label': 'Replay speed' }, SPEEDS.map((s) => h('option', { value: String(s), text: `${s}×` })));
  speedSelect.value = '1';
  speedSelect.addEventListener('change', () => (speed = Number(speedSelect.value)));
  const scrubber = h('input#scrubber', { type: 'range', min: 0, max: 1000, step: 1, value: 1000, 'aria-label': 'Position in the run' });
  scrubber.addEventListener('input', () => {
    pause();
    const value = Number(scrubber.value);
    setCursor(value >= Number(scrubber.max) ? null : t0() + value);
  });
  const clock = h('output#player-clock.mono', { for: 'scrubber' }, '—');
  const liveBtn = h('span.live-indicator', { hidden: true }, h('span.live-dot', 'live'));
  const eventLine = h('p#player-event.muted.event-line');

  const levelButtons = LEVELS.map((level) =>
    h(`button.level-toggle.level-${level}`, { type: 'button', 'aria-pressed': 'true', dataset: { level }, onclick: (e) => toggleLevel(level, e.currentTarget) },
      h('span.label', { text: LEVEL_LABEL[level] }), ' ', h('span.n', { text: '0' })));
  const phaseSelect = h('select#log-phase', { 'aria-label': 'Phase' }, h('option', { value: '', text: 'All phases' }));
  phaseSelect.addEventListener('change', () => {
    filters.phase = phaseSelect.value;
    renderLog();
    renderGantt();
  });
  const search = h('input#log-search', { type: 'search', placeholder: 'Search messages', 'aria-label': 'Search the log', autocomplete: 'off', spellcheck: 'false' });
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      filters.text = search.value.trim().toLowerCase();
      renderLog();
    }, 150);
  });
  const logCount = h('span#log-shown.muted', { role: 'status' });
  const list = h('ol.log-lines');
  const logEl = h('div.log#log', { role: 'log', 'aria-label': 'Activity log', tabindex: 0 }, list);
  const jump = h('button.jump#jump-latest', { type: 'button', hidden: true, onclick: () => { stick = true; scrollToEnd(); } }, '↓ New entries');

  clear(root).append(
    h('h2.visually-hidden', 'Timeline'),
    status,
    ganttWrap,
    h('div.player', { role: 'group', 'aria-label': 'Replay the run' },
      startBtn, prevBtn, playBtn, nextBtn, endBtn,
      h('label.speed', { for: 'speed' }, 'Speed'), speedSelect,
      scrubber, clock, liveBtn),
    eventLine,
    h('section.log-panel', { 'aria-labelledby': 'log-title' },
      h('div.log-toolbar',
        h('h3#log-title', 'Log'),
        h('div.level-toggles', { role: 'group', 'aria-label': 'Levels shown' }, levelButtons),
        phaseSelect, search, logCount),
      h('div.log-frame', logEl, jump)));
  setControlsEnabled(false);

  // ---- time --------------------------------------------------------------------------------------
  const isFinished = () => feed.finished || (full !== null && full.status !== 'running');
  const t0 = () => feed.events[0]?.at ?? (full?.started_at ? Date.parse(full.started_at) : Date.now());
  const lastEventAt = () => feed.events[feed.events.length - 1]?.at ?? t0();
  /** The end of the run: its last event (a finished run), or now (a running one). */
  function tEnd() {
    if (isFinished()) return Math.max(lastEventAt(), full?.completed_at ? Date.parse(full.completed_at) : 0);
    return Math.max(Date.now(), lastEventAt());
  }
  const cursorTime = () => cursor ?? tEnd();

  /** How many events had happened by time t. */
  function eventsBy(t) {
    const events = feed.events;
    let k = 0;
    while (k < events.length && events[k].at <= t) k += 1;
    return k;
  }

  // ---- cursor --------------------------------------------------------------------------------------
  function setCursor(next) {
    const end = tEnd();
    if (next !== null && next >= end && (isFinished() || !playing)) next = null;
    if (next !== null) next = Math.max(t0(), next);
    cursor = next;
    const k = cursor === null ? feed.events.length : eventsBy(cursor);
    if (k < shownEvents) {
      shownEvents = k;
      renderLog();
    } else if (k > shownEvents) {
      const from = shownEvents;
      shownEvents = k;
      appendLog(from === 0 ? 0 : entriesAfterEvent[from - 1], entriesAfterEvent[k - 1]);
    }
    if (cursor === null) view = null;
    else requestAt();
    renderGantt();
    renderControls();
  }

  function stepEvent(direction) {
    pause();
    const events = feed.events;
    if (!events.length) return;
    const k = cursor === null ? events.length : eventsBy(cursor);
    // k events are in; the previous event is k-2 (so k-1 are in), the next one is k.
    const target = direction < 0 ? Math.max(0, k - 2) : Math.min(events.length - 1, k);
    if (direction > 0 && k >= events.length) return setCursor(null);
    setCursor(events[target].at);
  }

  function play() {
    if (!caughtUp) return;
    if (cursor === null) {
      if (!isFinished()) return; // live already
      setCursor(t0()); // replay from the start
    }
    playing = true;
    lastTick = performance.now();
    playTimer = setInterval(tick, TICK_MS);
    renderControls();
  }

  function pause() {
    if (!playing) return;
    playing = false;
    clearInterval(playTimer);
    renderControls();
  }

  function tick() {
    const now = performance.now();
    const next = cursor + (now - lastTick) * speed;
    lastTick = now;
    if (next >= tEnd()) {
      pause();
      setCursor(null); // the end of a finished run, or live for a running one
    } else setCursor(next);
  }

  // ---- the run as it stood at the cursor (?at=) ----------------------------------------------------
  let atInFlight = false;
  let atPending = false;
  let atSeq = 0;
  function requestAt() {
    if (atInFlight) {
      atPending = true;
      return;
    }
    atInFlight = true;
    atPending = false;
    const seq = ++atSeq;
    const at = cursor;
    apiJson(runPath(runId, `/timeline?at=${encodeURIComponent(new Date(at).toISOString())}`), { signal })
      .then((timeline) => {
        if (seq === atSeq && cursor !== null) {
          view = timeline;
          renderGantt();
          renderControls();
        }
      })
      .catch((error) => {
        if (!isAbort(error)) eventLine.textContent = describeError(error, 'Loading the run at that moment');
      })
      .finally(() => {
        atInFlight = false;
        // While playing, at most one request every ~150 ms; the newest cursor wins.
        if (atPending && cursor !== null && !signal.aborted) setTimeout(requestAt, playing ? 150 : 0);
      });
  }

  // ---- the full timeline, loaded then refreshed as the stream brings events ------------------------
  let refreshTimer = null;
  let refreshing = false;
  async function loadFull() {
    refreshing = true;
    try {
      const previous = full?.status;
      full = await apiJson(runPath(runId, '/timeline'), { signal });
      updatePhaseOptions();
      if (previous && previous !== full.status) onRunChanged?.();
      checkCaughtUp();
      renderGantt();
      renderControls();
    } finally {
      refreshing = false;
    }
  }
  function scheduleFull() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      loadFull().catch((error) => {
        if (!isAbort(error)) eventLine.textContent = describeError(error, 'Refreshing the timeline');
      });
    }, refreshing ? 800 : 400);
  }

  function checkCaughtUp() {
    if (caughtUp || !full) return;
    const lastStored = full.events[full.events.length - 1]?.version ?? 0;
    if (feed.finished || feed.lastVersion >= lastStored) {
      caughtUp = true;
      setControlsEnabled(true);
      if (isFinished()) speed = pickSpeed(tEnd() - t0());
      speedSelect.value = String(speed);
      setCursor(cursor);
    }
  }

  /** A speed at which the whole run replays in about half a minute or less. */
  function pickSpeed(duration) {
    return SPEEDS.find((s) => s >= 1 && duration / s <= 30_000) ?? SPEEDS[SPEEDS.length - 1];
  }

  function onEvent(event, index) {
    for (const entry of entriesOf(event)) entries.push(entry);
    entriesAfterEvent[index] = entries.length;
    if (!caughtUp) {
      if (index % 20 === 0) status.textContent = `Loading events… ${formatNumber(index + 1)} so far`;
      checkCaughtUp();
      return;
    }
    if (cursor === null) {
      // Live (or at the end): the new event is in at once.
      const from = shownEvents === 0 ? 0 : entriesAfterEvent[shownEvents - 1];
      shownEvents = feed.events.length;
      appendLog(from, entries.length);
      renderGantt();
    }
    renderControls();
    scheduleFull(); // the phases' state comes from the API's timeline
  }

  feed.events.forEach((event, i) => onEvent(event, i));
  const unsubscribe = feed.onEvent((event) => onEvent(event, feed.events.length - 1));
  const unsubscribeState = feed.onState((state, error) => {
    if (state === 'failed' && error) eventLine.textContent = describeError(error, 'Following the run');
    if (state === 'ended') {
      checkCaughtUp();
      scheduleFull();
    }
  });

  loadFull().catch((error) => {
    if (isAbort(error)) return;
    status.dataset.state = 'error';
    status.textContent = describeError(error, 'Loading the timeline');
  });

  // A running run's bars and the live clock move with time even between events.
  const liveTimer = setInterval(() => {
    if (caughtUp && !isFinished()) {
      if (cursor === null) renderGantt();
      renderControls();
    }
  }, 1000);

  // ---- controls and status -----------------------------------------------------------------------
  function setControlsEnabled(on) {
    for (const el of [playBtn, startBtn, prevBtn, nextBtn, endBtn, speedSelect, scrubber]) el.disabled = !on;
  }

  function renderControls() {
    if (!caughtUp || !full) return;
    const start = t0();
    const end = tEnd();
    const duration = Math.max(1, end - start);
    const step = Math.max(1, Math.round(duration / 1000));
    const max = Math.ceil(duration / step) * step;
    const at = cursorTime();
    scrubber.step = String(step);
    scrubber.max = String(max);
    scrubber.value = String(cursor === null ? max : Math.min(max, Math.round((at - start) / step) * step));
    const valueText = `${formatOffset(at - start)} of ${formatOffset(duration)}`;
    scrubber.setAttribute('aria-valuetext', `${valueText} (${formatTime(at)})`);
    clock.textContent = `${formatOffset(at - start)} / ${formatOffset(duration)}`;
    clock.title = `at ${new Date(at).toISOString()}`;

    const live = cursor === null && !isFinished();
    const ended = cursor === null && isFinished();
    liveBtn.hidden = !live;
    playBtn.textContent = playing ? '▮▮ Pause' : ended ? '↻ Replay' : '▶ Play';
    playBtn.setAttribute('aria-label', playing ? 'Pause' : ended ? 'Replay the run from the start' : 'Play');
    playBtn.disabled = live;
    endBtn.disabled = cursor === null;

    const source = cursor === null ? full : view ?? full;
    const k = cursor === null ? feed.events.length : eventsBy(at);
    const event = feed.events[k - 1];
    const runningPhase = source.phases.find((p) => p.status === 'running');
    const state = playing ? 'playing' : live ? 'live' : ended ? 'end' : 'paused';
    status.dataset.state = state;
    status.dataset.status = source.status;
    status.replaceChildren(
      h('span.state', { text: { playing: 'Replaying', live: 'Live', end: 'End of run', paused: 'Paused' }[state] }),
      ' at ', h('time.mono', { datetime: new Date(at).toISOString(), text: formatTime(at) }),
      ' (+', formatOffset(at - start), ') · ', statusBadge(source.status),
      ` · ${formatNumber(source.entry_count)} ${source.entry_count === 1 ? 'entry' : 'entries'}`,
      ` · ${source.phases.filter((p) => p.status === 'completed' || p.status === 'failed').length} of ${source.phases.length} phases done`,
      runningPhase ? (source.status === 'running' ? ` · now in ${runningPhase.name}` : ` · stopped during ${runningPhase.name}`) : '');
    eventLine.textContent = event ? `Event ${k} of ${feed.events.length}: ${event.type} — ${describeEvent(event)}` : 'Before the first event.';
  }

  // ---- Gantt ---------------------------------------------------------------------------------------
  const resize = new ResizeObserver(() => renderGantt());
  resize.observe(ganttWrap);

  function renderGantt() {
    if (!full) return;
    const source = cursor === null ? full : view ?? full;
    const phases = source.phases.length ? source.phases : full.phases;
    const width = Math.max(640, ganttWrap.clientWidth || 900);
    const labelW = Math.min(280, Math.round(width * 0.24));
    const statsW = 190;
    const plotX = labelW + 8;
    const plotW = Math.max(100, width - labelW - statsW - 24);
    const rowH = 27;
    const axisH = 26;
    const height = axisH + Math.max(1, phases.length) * rowH + 6;
    const start = t0();
    const end = cursor === null && isFinished() ? tEnd() : Math.max(tEnd(), start + 1000);
    const span = Math.max(1, end - start);
    const x = (t) => plotX + ((Math.min(Math.max(t, start), end) - start) / span) * plotW;
    const at = cursorTime();

    const chart = svg('svg.gantt', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'gantt-title gantt-desc' });
    chart.append(svg('title#gantt-title', { text: `Phases of ${runId} on a time axis` }));
    chart.append(svg('desc#gantt-desc', { text: phases.map((p) => `${p.name}: ${p.status}${p.duration_ms !== null ? `, ${formatDuration(p.duration_ms)}` : ''}`).join('; ') }));
    chart.append(svg('defs', {}, svg('pattern#hatch-failed', { width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }))));

    // axis
    const axis = svg('g.axis');
    for (const tick of ticks(span, plotW)) {
      const tx = plotX + (tick / span) * plotW;
      axis.append(svg('line.gridline', { x1: tx, x2: tx, y1: axisH - 4, y2: height }));
      axis.append(svg('text.tick', { x: tx, y: axisH - 9, 'text-anchor': tick === 0 ? 'start' : 'middle', text: tickLabel(tick, span) }));
    }
    axis.append(svg('text.axis-caption', { x: 4, y: axisH - 9, text: `from ${formatTime(start, false)}` }));
    chart.append(axis);

    // rows
    const markers = markersByPhase();
    phases.forEach((phase, i) => {
      // A phase still open when its run finished never completed: draw it to the run's end, marked.
      const p = phase.status === 'running' && source.status !== 'running'
        ? { ...phase, status: 'unfinished', completed_at: source.completed_at ?? new Date(at).toISOString() }
        : phase;
      const y = axisH + i * rowH;
      const failed = p.status === 'failed';
      const unfinished = p.status === 'unfinished';
      const mark = failed ? '✕ ' : unfinished ? '⚠ ' : '';
      const selected = filters.phase === p.name;
      const stats = `${formatNumber(p.entry_count)} ${p.entry_count === 1 ? 'entry' : 'entries'}` + (p.warning_count ? ` · ${p.warning_count} warn` : '') + (p.error_count ? ` · ${p.error_count} err` : '');
      const row = svg(`g.phase-row.status-${p.status}`, {
        tabindex: 0, role: 'button', dataset: { phase: p.name, status: p.status },
        'aria-pressed': String(selected),
        'aria-label': `${p.name}: ${p.status}${p.duration_ms !== null ? `, ${formatDuration(p.duration_ms)}` : ''}, ${stats}. ${selected ? 'Showing only its log; press to show all phases.' : 'Press to show only its log.'}`,
      });
      row.append(svg(`rect.row-bg${selected ? '.selected' : ''}${failed ? '.failed' : unfinished ? '.unfinished' : ''}`, { x: 0, y, width, height: rowH }));
      row.append(svg('text.phase-label', { x: 8, y: y + rowH / 2 + 4, text: `${mark}${truncate(p.name, Math.floor(labelW / 7.2))}` }, svg('title', { text: p.name })));
      if (p.started_at) {
        const s = Date.parse(p.started_at);
        const e = p.completed_at ? Date.parse(p.completed_at) : p.status === 'running' ? at : s;
        const bx = x(s);
        const bw = Math.max(3, x(e) - bx);
        row.append(svg(`rect.bar.bar-${p.status}`, { x: bx, y: y + 7, width: bw, height: rowH - 14, rx: 3, fill: failed ? 'url(#hatch-failed)' : null },
          svg('title', { text: `${p.name}: ${p.status}, ${new Date(s).toISOString()} → ${p.completed_at ?? '…'}` })));
        const label = `${mark ? `${mark}${p.status} · ` : ''}${formatDuration(e - s)}${p.status === 'running' ? ' …' : ''}`;
        const inside = bw > label.length * 7 + 10;
        row.append(svg(`text.bar-label${inside ? '.inside' : ''}${failed ? '.failed' : unfinished ? '.unfinished' : ''}`, { x: inside ? bx + 6 : bx + bw + 6, y: y + rowH / 2 + 4, text: label }));
      } else {
        row.append(svg('text.pending-label', { x: plotX + 4, y: y + rowH / 2 + 4, text: p.status }));
      }
      for (const m of markers.get(p.name) ?? []) {
        row.append(svg(`circle.marker.marker-${m.level}`, { cx: x(m.at), cy: y + rowH - 5, r: 3 }, svg('title', { text: `${m.level}: ${m.message}` })));
      }
      row.append(svg(`text.phase-stats${p.error_count ? '.has-errors' : p.warning_count ? '.has-warnings' : ''}`, { x: width - statsW + 8, y: y + rowH / 2 + 4, text: stats }));
      const toggle = () => {
        phaseSelect.value = filters.phase === p.name ? '' : p.name;
        phaseSelect.dispatchEvent(new Event('change'));
      };
      row.addEventListener('click', toggle);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
          ganttWrap.querySelector(`g.phase-row[data-phase="${CSS.escape(p.name)}"]`)?.focus();
        }
      });
      chart.append(row);
    });
    if (!phases.length) chart.append(svg('text.pending-label', { x: plotX, y: axisH + 20, text: 'No phases yet.' }));

    // the cursor: where the replay is, or now for a running run
    if (cursor !== null || !isFinished()) {
      const cx = x(at);
      chart.append(svg('line.cursor', { x1: cx, x2: cx, y1: axisH - 6, y2: height }));
      chart.append(svg('path.cursor-head', { d: `M ${cx - 5} ${axisH - 10} L ${cx + 5} ${axisH - 10} L ${cx} ${axisH - 3} Z` }));
    }
    const focused = document.activeElement?.closest?.('g.phase-row')?.dataset.phase;
    ganttWrap.replaceChildren(chart);
    if (focused !== undefined) ganttWrap.querySelector(`g.phase-row[data-phase="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Warnings and errors replayed so far, as dots on their phase's row (a few hundred at most). */
  function markersByPhase() {
    const byPhase = new Map();
    const upTo = shownEvents === 0 ? 0 : entriesAfterEvent[shownEvents - 1];
    for (let i = 0; i < upTo; i += 1) {
      const e = entries[i];
      if (e.level === 'info' || e.phase === null) continue;
      const list = byPhase.get(e.phase) ?? [];
      if (list.length < 300) list.push(e);
      byPhase.set(e.phase, list);
    }
    return byPhase;
  }

  function updatePhaseOptions() {
    const names = full.phases.map((p) => p.name);
    const current = [...phaseSelect.options].slice(1).map((o) => o.value);
    if (names.join('\n') === current.join('\n')) return;
    phaseSelect.replaceChildren(h('option', { value: '', text: 'All phases' }), ...names.map((n) => h('option', { value: n, text: n })));
    phaseSelect.value = names.includes(filters.phase) ? filters.phase : '';
  }

  // ---- log -----------------------------------------------------------------------------------------
  let stick = true; // follow the newest entries until the reader scrolls up
  let unseen = 0;
  logEl.addEventListener('scroll', () => {
    stick = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 24;
    if (stick) {
      unseen = 0;
      jump.hidden = true;
    }
  });

  function scrollToEnd() {
    logEl.scrollTop = logEl.scrollHeight;
    unseen = 0;
    jump.hidden = true;
  }

  function matches(e) {
    return filters.levels.has(e.level)
      && (!filters.phase || e.phase === filters.phase)
      && (!filters.text || e.message.toLowerCase().includes(filters.text) || (e.phase ?? '').toLowerCase().includes(filters.text));
  }

  function shownEntryCount() {
    return shownEvents === 0 ? 0 : entriesAfterEvent[shownEvents - 1];
  }

  function renderLog() {
    const upTo = shownEntryCount();
    const rows = [];
    for (let i = upTo - 1; i >= 0 && rows.length < MAX_ROWS; i -= 1) if (matches(entries[i])) rows.push(i);
    rows.reverse();
    list.replaceChildren(...rows.map((i) => entryRow(entries[i])));
    updateLogCounts();
    if (stick) scrollToEnd();
  }

  function appendLog(from, to) {
    // Only the newest MAX_ROWS matching entries are ever drawn, however many arrive at once.
    const picked = [];
    for (let i = to - 1; i >= from && picked.length < MAX_ROWS; i -= 1) if (matches(entries[i])) picked.push(i);
    const added = picked.length;
    const fragment = document.createDocumentFragment();
    for (let j = picked.length - 1; j >= 0; j -= 1) fragment.append(entryRow(entries[picked[j]]));
    if (added >= MAX_ROWS) list.replaceChildren();
    list.append(fragment);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
    updateLogCounts();
    if (!added) return;
    if (stick) scrollToEnd();
    else {
      unseen += added;
      jump.hidden = false;
      jump.textContent = `↓ ${formatNumber(unseen)} new ${unseen === 1 ? 'entry' : 'entries'}`;
    }
  }

  function updateLogCounts() {
    const upTo = shownEntryCount();
    const perLevel = { info: 0, warning: 0, error: 0 };
    for (let i = 0; i < upTo; i += 1) perLevel[entries[i].level] += 1;
    for (const b of levelButtons) b.querySelector('.n').textContent = formatNumber(perLevel[b.dataset.level]);
    const shown = list.childElementCount;
    const matching = shown < MAX_ROWS ? shown : null;
    logCount.textContent = matching === null
      ? `Showing the newest ${formatNumber(MAX_ROWS)} matching of ${formatNumber(upTo)} entries`
      : `Showing ${formatNumber(matching)} of ${formatNumber(upTo)} ${upTo === 1 ? 'entry' : 'entries'}`;
    logCount.dataset.shown = String(shown);
    logCount.dataset.total = String(upTo);
  }

  function entryRow(e) {
    const time = new Date(e.timestamp);
    return h(`li.entry.level-${e.level}`, { dataset: { seq: e.seq, level: e.level } },
      h('time.time.mono', { datetime: e.timestamp, title: e.timestamp, text: formatTime(time.getTime()) }),
      h('span.level', { text: LEVEL_LABEL[e.level] ?? e.level }),
      h('span.phase', { title: e.phase ?? '', text: e.phase ?? '—' }),
      h('span.msg', highlight(e.message, filters.text)));
  }

  function toggleLevel(level, button) {
    if (filters.levels.has(level)) filters.levels.delete(level);
    else filters.levels.add(level);
    button.setAttribute('aria-pressed', String(filters.levels.has(level)));
    renderLog();
  }

  return {
    destroy() {
      controller.abort();
      pause();
      clearInterval(liveTimer);
      clearTimeout(refreshTimer);
      resize.disconnect();
      unsubscribe();
      unsubscribeState();
    },
  };
}

function highlight(text, needle) {
  if (!needle) return text;
  const parts = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let i = lower.indexOf(needle); i >= 0 && parts.length < 200; i = lower.indexOf(needle, from)) {
    parts.push(text.slice(from, i), h('mark', { text: text.slice(i, i + needle.length) }));
    from = i + needle.length;
  }
  parts.push(text.slice(from));
  return parts;
}

function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 21600e3, 43200e3, 86400e3];

/** Round offsets for the axis, about one every 90 px. */
function ticks(span, width) {
  const wanted = Math.max(2, Math.floor(width / 90));
  const step = STEPS.find((s) => span / s <= wanted) ?? span / wanted;
  const out = [];
  for (let t = 0; t <= span + 1e-6; t += step) out.push(t);
  return out;
}

function tickLabel(ms, span) {
  if (ms === 0) return '';
  if (span < 2000) return `${Math.round(ms)} ms`;
  if (span < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (span < 7_200_000) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} h`;
}
