// The Timeline tab's player controls and status lines: start, previous/next event, play/pause, end,
// speed, the scrubber and its clock, the "live" mark; the status line (where the replay is and how
// the run stood then) and the line naming the last event. They drive a Player (player.js).

import { formatNumber, formatOffset, formatTime, h, statusBadge } from './dom.js';
import { describeEvent, playerState, scrubberModel, SPEEDS } from './timeline-model.js';

export function createPlayerControls(player, { events }) {
  const status = h('p#player-status.player-status', { role: 'status', 'aria-live': 'polite', dataset: { state: 'loading' } }, 'Loading the timeline…');
  const playBtn = h('button.primary#play', { type: 'button', onclick: () => player.toggle() }, '▶ Play');
  const startBtn = h('button.secondary#to-start', { type: 'button', 'aria-label': 'Go to the start of the run', title: 'Start', onclick: () => player.toStart() }, '⇤ Start');
  const prevBtn = h('button.secondary#prev-event', { type: 'button', 'aria-label': 'Previous event', title: 'Previous event', onclick: () => player.step(events(), -1) }, '◀ Event');
  const nextBtn = h('button.secondary#next-event', { type: 'button', 'aria-label': 'Next event', title: 'Next event', onclick: () => player.step(events(), 1) }, 'Event ▶');
  const endBtn = h('button.secondary#to-end', { type: 'button', 'aria-label': 'Go to the end (live for a running run)', title: 'End / live', onclick: () => player.toEnd() }, 'End ⇥');
  const speedSelect = h('select#speed', { 'aria-label': 'Replay speed' }, SPEEDS.map((s) => h('option', { value: String(s), text: `${s}×` })));
  speedSelect.value = '1';
  speedSelect.addEventListener('change', () => player.setSpeed(Number(speedSelect.value)));
  const scrubber = h('input#scrubber', { type: 'range', min: 0, max: 1000, step: 1, value: 1000, 'aria-label': 'Position in the run' });
  scrubber.addEventListener('input', () => player.scrub(Number(scrubber.value), Number(scrubber.max)));
  const clock = h('output#player-clock.mono', { for: 'scrubber' }, '—');
  const liveBtn = h('span.live-indicator', { hidden: true }, h('span.live-dot', 'live'));
  const eventLine = h('p#player-event.muted.event-line');
  const bar = h('div.player', { role: 'group', 'aria-label': 'Replay the run' },
    startBtn, prevBtn, playBtn, nextBtn, endBtn,
    h('label.speed', { for: 'speed' }, 'Speed'), speedSelect,
    scrubber, clock, liveBtn);

  function setEnabled(on) {
    for (const el of [playBtn, startBtn, prevBtn, nextBtn, endBtn, speedSelect, scrubber]) el.disabled = !on;
  }
  setEnabled(false);

  /**
   * start/end: the run's bounds (ms); finished: whether it is; source: the timeline shown (the run as
   * it stood at the cursor); replay: replayStateAt's answer for the cursor.
   */
  function render({ start, end, finished, source, replay }) {
    const cursor = player.cursor;
    const at = player.cursorTime();
    const { duration, step, max, value } = scrubberModel({ start, end, cursor, at });
    scrubber.step = String(step);
    scrubber.max = String(max);
    scrubber.value = String(value);
    const valueText = `${formatOffset(at - start)} of ${formatOffset(duration)}`;
    scrubber.setAttribute('aria-valuetext', `${valueText} (${formatTime(at)})`);
    clock.textContent = `${formatOffset(at - start)} / ${formatOffset(duration)}`;
    clock.title = `at ${new Date(at).toISOString()}`;

    const state = playerState({ cursor, finished, playing: player.playing });
    const live = cursor === null && !finished;
    const ended = cursor === null && finished;
    liveBtn.hidden = !live;
    playBtn.textContent = player.playing ? '▮▮ Pause' : ended ? '↻ Replay' : '▶ Play';
    playBtn.setAttribute('aria-label', player.playing ? 'Pause' : ended ? 'Replay the run from the start' : 'Play');
    playBtn.disabled = live;
    endBtn.disabled = cursor === null;

    const runningPhase = source.phases.find((p) => p.status === 'running');
    status.dataset.state = state;
    status.dataset.status = source.status;
    status.replaceChildren(
      h('span.state', { text: { playing: 'Replaying', live: 'Live', end: 'End of run', paused: 'Paused' }[state] }),
      ' at ', h('time.mono', { datetime: new Date(at).toISOString(), text: formatTime(at) }),
      ' (+', formatOffset(at - start), ') · ', statusBadge(source.status),
      ` · ${formatNumber(source.entry_count)} ${source.entry_count === 1 ? 'entry' : 'entries'}`,
      ` · ${source.phases.filter((p) => p.status === 'completed' || p.status === 'failed').length} of ${source.phases.length} phases done`,
      runningPhase ? (source.status === 'running' ? ` · now in ${runningPhase.name}` : ` · stopped during ${runningPhase.name}`) : '');
    const { event, eventCount } = replay;
    eventLine.textContent = event ? `Event ${eventCount} of ${events().length}: ${event.type} — ${describeEvent(event)}` : 'Before the first event.';
  }

  return {
    status,
    bar,
    eventLine,
    setEnabled,
    render,
    /** The speed the player picked (a finished run replays in about half a minute). */
    showSpeed() {
      speedSelect.value = String(player.speed);
    },
  };
}
