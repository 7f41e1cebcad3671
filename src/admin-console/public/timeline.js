// The Timeline tab: the phases as a Gantt chart on the run's time axis (gantt.js), a player that
// replays the run's events in order (player.js, player-controls.js; the scrubber shows the run as it
// stood at any moment, from the API's ?at=), and the log under it (log-view.js). A running run's bars
// and log grow live from its event stream. This module wires them and does the fetching; what is
// computed lives in timeline-model.js.

import { apiJson, describeError, isAbort, runPath } from './api.js';
import { clear, formatNumber, h } from './dom.js';
import { renderGantt } from './gantt.js';
import { createLogView } from './log-view.js';
import { lineLink } from './search-model.js';
import { Player } from './player.js';
import { createPlayerControls } from './player-controls.js';
import { EventEntries, markersByPhase, replayStateAt, runEnd, runStart } from './timeline-model.js';

export function mountTimeline(root, { runId, feed, signal: parentSignal, onRunChanged }) {
  const controller = new AbortController();
  const signal = controller.signal;
  parentSignal.addEventListener('abort', () => controller.abort(), { once: true });

  let full = null; // the run's timeline now
  let view = null; // the run's timeline at the cursor (from ?at=), when the cursor is not at the end
  let caughtUp = false;
  const grouped = new EventEntries(); // every entry the stream has brought, by event
  let shownEvents = 0; // events [0, shownEvents) are replayed into the log and the markers

  const isFinished = () => feed.finished || (full !== null && full.status !== 'running');
  const bounds = () => {
    const now = Date.now();
    return { start: runStart(feed.events, full, now), end: runEnd(feed.events, full, isFinished(), now), finished: isFinished() };
  };
  const player = new Player({ bounds, onMove: cursorMoved, onChange: renderControls });
  const controls = createPlayerControls(player, { events: () => feed.events });
  const log = createLogView({ entries: () => grouped.entries, shownCount: () => grouped.countBy(shownEvents), onPhaseChange: drawGantt, lineHref: (seq) => lineLink(runId, seq) });
  const ganttWrap = h('div.gantt-wrap#gantt', { role: 'group', 'aria-label': 'Phases on a time axis (Gantt chart)' });

  clear(root).append(h('h2.visually-hidden', 'Timeline'), controls.status, ganttWrap, controls.bar, controls.eventLine, log.element);

  /** The cursor moved: replay the log to it, fetch the run as it stood then, redraw. */
  function cursorMoved(cursor) {
    const k = replayStateAt(feed.events, grouped, cursor).eventCount;
    if (k < shownEvents) {
      shownEvents = k;
      log.render();
    } else if (k > shownEvents) {
      const from = shownEvents;
      shownEvents = k;
      log.append(grouped.countBy(from), grouped.countBy(k));
    }
    if (cursor === null) view = null;
    else requestAt();
    drawGantt();
    renderControls();
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
    const at = player.cursor;
    apiJson(runPath(runId, `/timeline?at=${encodeURIComponent(new Date(at).toISOString())}`), { signal })
      .then((timeline) => {
        if (seq === atSeq && player.cursor !== null) {
          view = timeline;
          drawGantt();
          renderControls();
        }
      })
      .catch((error) => {
        if (!isAbort(error)) controls.eventLine.textContent = describeError(error, 'Loading the run at that moment');
      })
      .finally(() => {
        atInFlight = false;
        // While playing, at most one request every ~150 ms; the newest cursor wins.
        if (atPending && player.cursor !== null && !signal.aborted) setTimeout(requestAt, player.playing ? 150 : 0);
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
      log.setPhases(full.phases.map((p) => p.name));
      if (previous && previous !== full.status) onRunChanged?.();
      checkCaughtUp();
      drawGantt();
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
        if (!isAbort(error)) controls.eventLine.textContent = describeError(error, 'Refreshing the timeline');
      });
    }, refreshing ? 800 : 400);
  }

  function checkCaughtUp() {
    if (caughtUp || !full) return;
    const lastStored = full.events[full.events.length - 1]?.version ?? 0;
    if (feed.finished || feed.lastVersion >= lastStored) {
      caughtUp = true;
      controls.setEnabled(true);
      player.becomeReady();
      controls.showSpeed();
    }
  }

  function onEvent(event, index) {
    grouped.add(event, index);
    if (!caughtUp) {
      if (index % 20 === 0) controls.status.textContent = `Loading events… ${formatNumber(index + 1)} so far`;
      checkCaughtUp();
      return;
    }
    if (player.cursor === null) {
      // Live (or at the end): the new event is in at once.
      const from = grouped.countBy(shownEvents);
      shownEvents = feed.events.length;
      log.append(from, grouped.entries.length);
      drawGantt();
    }
    renderControls();
    scheduleFull(); // the phases' state comes from the API's timeline
  }

  feed.events.forEach((event, i) => onEvent(event, i));
  const unsubscribe = feed.onEvent((event) => onEvent(event, feed.events.length - 1));
  const unsubscribeState = feed.onState((state, error) => {
    if (state === 'failed' && error) controls.eventLine.textContent = describeError(error, 'Following the run');
    if (state === 'ended') {
      checkCaughtUp();
      scheduleFull();
    }
  });

  loadFull().catch((error) => {
    if (isAbort(error)) return;
    controls.status.dataset.state = 'error';
    controls.status.textContent = describeError(error, 'Loading the timeline');
  });

  // A running run's bars and the live clock move with time even between events.
  const liveTimer = setInterval(() => {
    if (caughtUp && !isFinished()) {
      if (player.cursor === null) drawGantt();
      renderControls();
    }
  }, 1000);

  // ---- drawing -------------------------------------------------------------------------------------
  function renderControls() {
    if (!caughtUp || !full) return;
    const { start, end, finished } = bounds();
    const source = player.cursor === null ? full : view ?? full;
    controls.render({ start, end, finished, source, replay: replayStateAt(feed.events, grouped, player.cursor) });
  }

  const resize = new ResizeObserver(() => drawGantt());
  resize.observe(ganttWrap);

  function drawGantt() {
    if (!full) return;
    const cursor = player.cursor;
    const source = cursor === null ? full : view ?? full;
    const { start, end, finished } = bounds();
    renderGantt(ganttWrap, {
      runId,
      phases: source.phases.length ? source.phases : full.phases,
      runStatus: source.status,
      runCompletedAt: source.completed_at,
      start,
      end: cursor === null && finished ? end : Math.max(end, start + 1000),
      at: player.cursorTime(),
      showCursor: cursor !== null || !finished,
      selectedPhase: log.filters.phase,
      markers: markersByPhase(grouped.entries, grouped.countBy(shownEvents)),
      onTogglePhase: (name) => log.togglePhase(name),
    });
  }

  return {
    destroy() {
      controller.abort();
      player.destroy();
      log.destroy();
      clearInterval(liveTimer);
      clearTimeout(refreshTimer);
      resize.disconnect();
      unsubscribe();
      unsubscribeState();
    },
  };
}
