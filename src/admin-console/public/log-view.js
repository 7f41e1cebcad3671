// The Timeline tab's log: the entries the replay has reached, coloured by level, filtered by level,
// phase and text, following the newest entries until the reader scrolls up (then a "new entries" jump).

import { stripAnsi } from './ansi.js';
import { renderMessage } from './ansi-render.js';
import { formatNumber, formatTime, h } from './dom.js';
import { LEVEL_LABEL, LEVELS, levelCounts, matchesFilters } from './timeline-model.js';

const MAX_ROWS = 3000;

/**
 * entries(): every entry the events brought, in order; shownCount(): how many of them the replay has
 * reached; onPhaseChange(): the phase filter changed (the Gantt marks the selected phase); lineHref(seq):
 * the address of a line (its number links there: the Log lines tab).
 */
export function createLogView({ entries, shownCount, onPhaseChange, lineHref }) {
  const filters = { levels: new Set(LEVELS), phase: '', text: '' };
  let stick = true; // follow the newest entries until the reader scrolls up
  let unseen = 0;

  const levelButtons = LEVELS.map((level) =>
    h(`button.level-toggle.level-${level}`, { type: 'button', 'aria-pressed': 'true', dataset: { level }, onclick: (e) => toggleLevel(level, e.currentTarget) },
      h('span.label', { text: LEVEL_LABEL[level] }), ' ', h('span.n', { text: '0' })));
  const phaseSelect = h('select#log-phase', { 'aria-label': 'Phase' }, h('option', { value: '', text: 'All phases' }));
  phaseSelect.addEventListener('change', () => {
    filters.phase = phaseSelect.value;
    render();
    onPhaseChange();
  });
  const search = h('input#log-search', { type: 'search', placeholder: 'Search messages', 'aria-label': 'Search the log', autocomplete: 'off', spellcheck: 'false' });
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      filters.text = search.value.trim().toLowerCase();
      render();
    }, 150);
  });
  const logCount = h('span#log-shown.muted', { role: 'status' });
  const list = h('ol.log-lines');
  const logEl = h('div.log#log', { role: 'log', 'aria-label': 'Activity log', tabindex: 0 }, list);
  const jump = h('button.jump#jump-latest', { type: 'button', hidden: true, onclick: () => { stick = true; scrollToEnd(); } }, '↓ New entries');
  const element = h('section.log-panel', { 'aria-labelledby': 'log-title' },
    h('div.log-toolbar',
      h('h3#log-title', 'Log'),
      h('div.level-toggles', { role: 'group', 'aria-label': 'Levels shown' }, levelButtons),
      phaseSelect, search, logCount),
    h('div.log-frame', logEl, jump));

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

  // The text filter matches what the reader sees: the message without its ANSI codes.
  const matches = (e) => matchesFilters(e, filters, stripAnsi(e.message));

  /** Draws the newest MAX_ROWS matching entries of those the replay has reached. */
  function render() {
    const all = entries();
    const upTo = shownCount();
    const rows = [];
    for (let i = upTo - 1; i >= 0 && rows.length < MAX_ROWS; i -= 1) if (matches(all[i])) rows.push(i);
    rows.reverse();
    list.replaceChildren(...rows.map((i) => entryRow(all[i], filters.text, lineHref)));
    updateCounts();
    if (stick) scrollToEnd();
  }

  /** Adds entries [from, to): only the newest MAX_ROWS matching entries are ever drawn, however many arrive at once. */
  function append(from, to) {
    const all = entries();
    const picked = [];
    for (let i = to - 1; i >= from && picked.length < MAX_ROWS; i -= 1) if (matches(all[i])) picked.push(i);
    const added = picked.length;
    const fragment = document.createDocumentFragment();
    for (let j = picked.length - 1; j >= 0; j -= 1) fragment.append(entryRow(all[picked[j]], filters.text, lineHref));
    if (added >= MAX_ROWS) list.replaceChildren();
    list.append(fragment);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
    updateCounts();
    if (!added) return;
    if (stick) scrollToEnd();
    else {
      unseen += added;
      jump.hidden = false;
      jump.textContent = `↓ ${formatNumber(unseen)} new ${unseen === 1 ? 'entry' : 'entries'}`;
    }
  }

  function updateCounts() {
    const upTo = shownCount();
    const perLevel = levelCounts(entries(), upTo);
    for (const b of levelButtons) b.querySelector('.n').textContent = formatNumber(perLevel[b.dataset.level]);
    const shown = list.childElementCount;
    logCount.textContent = shown >= MAX_ROWS
      ? `Showing the newest ${formatNumber(MAX_ROWS)} matching of ${formatNumber(upTo)} entries`
      : `Showing ${formatNumber(shown)} of ${formatNumber(upTo)} ${upTo === 1 ? 'entry' : 'entries'}`;
    logCount.dataset.shown = String(shown);
    logCount.dataset.total = String(upTo);
  }

  function toggleLevel(level, button) {
    if (filters.levels.has(level)) filters.levels.delete(level);
    else filters.levels.add(level);
    button.setAttribute('aria-pressed', String(filters.levels.has(level)));
    render();
  }

  /** The phase select's options: the run's phases (kept when unchanged, so an open select stays open). */
  function setPhases(names) {
    const current = [...phaseSelect.options].slice(1).map((o) => o.value);
    if (names.join('\n') === current.join('\n')) return;
    phaseSelect.replaceChildren(h('option', { value: '', text: 'All phases' }), ...names.map((n) => h('option', { value: n, text: n })));
    phaseSelect.value = names.includes(filters.phase) ? filters.phase : '';
  }

  /** Shows only `name`'s log, or every phase's when it is shown already (a Gantt row pressed). */
  function togglePhase(name) {
    phaseSelect.value = filters.phase === name ? '' : name;
    phaseSelect.dispatchEvent(new Event('change'));
  }

  return {
    element,
    filters,
    render,
    append,
    setPhases,
    togglePhase,
    destroy() {
      clearTimeout(searchTimer);
    },
  };
}

/** One log line: its number (a link to it), time, level, phase, message (its ANSI colour shown, the filter's text marked). */
export function entryRow(e, needle, lineHref) {
  const time = new Date(e.timestamp);
  return h(`li.entry.level-${e.level}`, { dataset: { seq: e.seq, level: e.level } },
    h('a.seq-link.mono', { href: lineHref(e.seq), title: 'Link to this line', text: String(e.seq) }),
    h('time.time.mono', { datetime: e.timestamp, title: e.timestamp, text: formatTime(time.getTime()) }),
    h('span.level', { text: LEVEL_LABEL[e.level] ?? e.level }),
    h('span.phase', { title: e.phase ?? '', text: e.phase ?? '—' }),
    h('span.msg', renderMessage(e.message, needle)));
}
