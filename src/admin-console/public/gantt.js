// The Timeline tab's Gantt chart: the phases as bars (SVG) on the run's time axis, warnings and errors
// as dots, the replay's cursor. Drawn afresh from what the timeline passes; a row toggles its phase.

import { stripAnsi } from './ansi.js';
import { formatDuration, formatTime, svg } from './dom.js';
import { phaseBars, tickLabel, ticks, truncate } from './timeline-model.js';

const ROW_H = 27;
const AXIS_H = 26;
const STATS_W = 190;

/**
 * Draws into `wrap`: phases (each { name, status, started_at, completed_at, duration_ms, entry_count,
 * warning_count, error_count }) from `start` to `end` (ms), the cursor at `at` when showCursor.
 * selectedPhase is the one the log shows; onTogglePhase(name) when a row is clicked or pressed.
 */
export function renderGantt(wrap, { runId, phases, runStatus, runCompletedAt, start, end, at, showCursor, selectedPhase, markers, onTogglePhase }) {
  const width = Math.max(640, wrap.clientWidth || 900);
  const labelW = Math.min(280, Math.round(width * 0.24));
  const plotX = labelW + 8;
  const plotW = Math.max(100, width - labelW - STATS_W - 24);
  const height = AXIS_H + Math.max(1, phases.length) * ROW_H + 6;
  const span = Math.max(1, end - start);
  const x = (t) => plotX + ((Math.min(Math.max(t, start), end) - start) / span) * plotW;

  const chart = svg('svg.gantt', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'gantt-title gantt-desc' });
  chart.append(svg('title#gantt-title', { text: `Phases of ${runId} on a time axis` }));
  chart.append(svg('desc#gantt-desc', { text: phases.map((p) => `${p.name}: ${p.status}${p.duration_ms !== null ? `, ${formatDuration(p.duration_ms)}` : ''}`).join('; ') }));
  chart.append(svg('defs', {}, svg('pattern#hatch-failed', { width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }))));

  const axis = svg('g.axis');
  for (const tick of ticks(span, plotW)) {
    const tx = plotX + (tick / span) * plotW;
    axis.append(svg('line.gridline', { x1: tx, x2: tx, y1: AXIS_H - 4, y2: height }));
    axis.append(svg('text.tick', { x: tx, y: AXIS_H - 9, 'text-anchor': tick === 0 ? 'start' : 'middle', text: tickLabel(tick, span) }));
  }
  axis.append(svg('text.axis-caption', { x: 4, y: AXIS_H - 9, text: `from ${formatTime(start, false)}` }));
  chart.append(axis);

  phaseBars(phases, { runStatus, runCompletedAt, at }).forEach((bar, i) => {
    chart.append(phaseRow(bar, { y: AXIS_H + i * ROW_H, width, labelW, plotX, x, selected: selectedPhase === bar.phase.name, markers, onTogglePhase, wrap }));
  });
  if (!phases.length) chart.append(svg('text.pending-label', { x: plotX, y: AXIS_H + 20, text: 'No phases yet.' }));

  // the cursor: where the replay is, or now for a running run
  if (showCursor) {
    const cx = x(at);
    chart.append(svg('line.cursor', { x1: cx, x2: cx, y1: AXIS_H - 6, y2: height }));
    chart.append(svg('path.cursor-head', { d: `M ${cx - 5} ${AXIS_H - 10} L ${cx + 5} ${AXIS_H - 10} L ${cx} ${AXIS_H - 3} Z` }));
  }
  const focused = document.activeElement?.closest?.('g.phase-row')?.dataset.phase;
  wrap.replaceChildren(chart);
  if (focused !== undefined) wrap.querySelector(`g.phase-row[data-phase="${CSS.escape(focused)}"]`)?.focus();
}

function phaseRow({ phase: p, failed, unfinished, mark, stats, start, end }, { y, width, labelW, plotX, x, selected, markers, onTogglePhase, wrap }) {
  const row = svg(`g.phase-row.status-${p.status}`, {
    tabindex: 0, role: 'button', dataset: { phase: p.name, status: p.status },
    'aria-pressed': String(selected),
    'aria-label': `${p.name}: ${p.status}${p.duration_ms !== null ? `, ${formatDuration(p.duration_ms)}` : ''}, ${stats}. ${selected ? 'Showing only its log; press to show all phases.' : 'Press to show only its log.'}`,
  });
  const kind = failed ? '.failed' : unfinished ? '.unfinished' : '';
  row.append(svg(`rect.row-bg${selected ? '.selected' : ''}${kind}`, { x: 0, y, width, height: ROW_H }));
  row.append(svg('text.phase-label', { x: 8, y: y + ROW_H / 2 + 4, text: `${mark}${truncate(p.name, Math.floor(labelW / 7.2))}` }, svg('title', { text: p.name })));
  if (start !== null) {
    const bx = x(start);
    const bw = Math.max(3, x(end) - bx);
    row.append(svg(`rect.bar.bar-${p.status}`, { x: bx, y: y + 7, width: bw, height: ROW_H - 14, rx: 3, fill: failed ? 'url(#hatch-failed)' : null },
      svg('title', { text: `${p.name}: ${p.status}, ${new Date(start).toISOString()} → ${p.completed_at ?? '…'}` })));
    const label = `${mark ? `${mark}${p.status} · ` : ''}${formatDuration(end - start)}${p.status === 'running' ? ' …' : ''}`;
    const inside = bw > label.length * 7 + 10;
    row.append(svg(`text.bar-label${inside ? '.inside' : ''}${kind}`, { x: inside ? bx + 6 : bx + bw + 6, y: y + ROW_H / 2 + 4, text: label }));
  } else {
    row.append(svg('text.pending-label', { x: plotX + 4, y: y + ROW_H / 2 + 4, text: p.status }));
  }
  for (const m of markers.get(p.name) ?? []) {
    row.append(svg(`circle.marker.marker-${m.level}`, { cx: x(m.at), cy: y + ROW_H - 5, r: 3 }, svg('title', { text: `${m.level}: ${stripAnsi(m.message)}` })));
  }
  row.append(svg(`text.phase-stats${p.error_count ? '.has-errors' : p.warning_count ? '.has-warnings' : ''}`, { x: width - STATS_W + 8, y: y + ROW_H / 2 + 4, text: stats }));
  row.addEventListener('click', () => onTogglePhase(p.name));
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onTogglePhase(p.name);
      wrap.querySelector(`g.phase-row[data-phase="${CSS.escape(p.name)}"]`)?.focus();
    }
  });
  return row;
}
