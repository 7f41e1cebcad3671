// The run page's Log tab (#/runs/<id>/log, #/runs/<id>/log?lines=822-830): one page of the API's log at
// a time, never the whole log: the page around the linked lines (around_seq/context), scrolled to and
// highlighted, extended by "load earlier" / "load later" (after_seq/limit). Every line has its address:
// its seq links to it, "copy link" copies it, shift-click selects a range and puts it in the address.

import { apiJson, describeError, isAbort, runPath } from './api.js';
import { renderMessage } from './ansi-render.js';
import { clear, formatTime, h } from './dom.js';
import {
  aroundQuery, covers, earlierQuery, extendSelection, firstQuery, isSelected, laterQuery, linesValue, mergePage, rangeText,
} from './log-page-model.js';
import { lineLink } from './search-model.js';
import { LEVEL_LABEL } from './timeline-model.js';

export function mountLogPage(root, { runId, lines: initialLines, signal }) {
  let state = null; // mergePage's answer: the loaded entries and how complete they are
  let lines = initialLines; // the highlighted lines ({ from, to }) or null
  let anchor = lines?.from ?? null; // where a shift-click's range starts
  let loading = false;

  const range = h('p#log-page-range.muted', { role: 'status', 'aria-live': 'polite' }, 'Loading the log…');
  const earlierBtn = h('button.secondary#load-earlier', { type: 'button', disabled: true, onclick: () => loadMore('earlier') }, '↑ Load earlier');
  const laterBtn = h('button.secondary#load-later', { type: 'button', disabled: true, onclick: () => loadMore('later') }, '↓ Load later');
  const message = h('p#log-page-message.message', { role: 'alert' });
  const copyStatus = h('p#copy-status.muted', { role: 'status', 'aria-live': 'polite' });
  const fallback = h('div#copy-fallback.copy-fallback', { hidden: true });
  const list = h('ol.log-lines#log-page-lines', { 'aria-label': 'Log lines' });
  list.addEventListener('click', onListClick);

  clear(root).append(
    h('h2.visually-hidden', 'Log'),
    h('section.log-panel.log-page', { 'aria-labelledby': 'log-page-title' },
      h('div.log-toolbar',
        h('h3#log-page-title', 'Log'),
        range,
        h('span.muted.hint', 'Click a line number for its link; shift-click another to select a range.')),
      message,
      h('div.log-page-more', earlierBtn),
      h('div.log.log-page-body#log-page', { role: 'log', 'aria-label': 'Log lines of the run', tabindex: 0 }, list),
      h('div.log-page-more', laterBtn, copyStatus),
      fallback));

  load(lines ? aroundQuery(lines) : firstQuery(), null).then(() => scrollToSelection());

  /** Loads one page of the log and merges it in (`later`: it follows the loaded ones; null: a fresh start). */
  async function load(query, later) {
    loading = true;
    updateButtons();
    try {
      const answer = await apiJson(runPath(runId, `/logs?${query}`), { signal });
      state = mergePage(later === null ? null : state, answer, { later: later !== false });
      message.textContent = '';
      render();
    } catch (error) {
      if (!isAbort(error)) message.textContent = describeError(error, 'Loading the log');
    } finally {
      loading = false;
      updateButtons();
    }
  }

  async function loadMore(direction) {
    if (loading || !state) return;
    const query = direction === 'earlier' ? earlierQuery(state.first) : laterQuery(state.nextAfterSeq);
    if (!query) return;
    const keep = direction === 'earlier' ? list.firstElementChild : null;
    const offset = keep ? keep.offsetTop - body().scrollTop : 0;
    await load(query, direction === 'later');
    // What the reader was looking at stays where it was when lines are added above it.
    if (keep) {
      const same = list.querySelector(`li[data-seq="${keep.dataset.seq}"]`);
      if (same) body().scrollTop = same.offsetTop - offset;
    }
  }

  const body = () => root.querySelector('#log-page');

  function render() {
    list.replaceChildren(...state.entries.map(lineRow));
    range.textContent = `Showing ${rangeText(state)}${state.dropped ? ` (${state.dropped} more dropped at the run's entry cap)` : ''}`;
    range.dataset.first = String(state.first ?? '');
    range.dataset.last = String(state.last ?? '');
    range.dataset.total = String(state.total);
  }

  function updateButtons() {
    earlierBtn.disabled = loading || !state || earlierQuery(state.first) === null;
    laterBtn.disabled = loading || !state || laterQuery(state.nextAfterSeq) === null;
  }

  function lineRow(e) {
    const selected = isSelected(lines, e.seq);
    return h(`li.entry.level-${e.level}${selected ? '.highlighted' : ''}`, { dataset: { seq: e.seq, level: e.level }, 'aria-current': selected ? 'true' : null },
      h('a.seq-link.mono', { href: lineLink(runId, e.seq), title: 'Link to this line (shift-click: a range)', text: String(e.seq) }),
      h('time.time.mono', { datetime: e.timestamp, title: e.timestamp, text: formatTime(Date.parse(e.timestamp)) }),
      h('span.level', { text: LEVEL_LABEL[e.level] ?? e.level }),
      h('span.phase', { title: e.phase ?? '', text: e.phase ?? '—' }),
      h('span.msg', renderMessage(e.message)),
      h('button.link.copy-link', { type: 'button', title: 'Copy link to this line', 'aria-label': `Copy link to line ${e.seq}` }, 'Copy link'));
  }

  function onListClick(event) {
    const row = event.target.closest('li.entry');
    if (!row) return;
    const seq = Number(row.dataset.seq);
    if (event.target.closest('button.copy-link')) {
      copyLink(seq);
      return;
    }
    if (event.shiftKey) {
      event.preventDefault();
      window.getSelection()?.removeAllRanges();
      select(extendSelection(anchor, seq), false);
    } else if (event.target.closest('a.seq-link')) {
      event.preventDefault();
      anchor = seq;
      select({ from: seq, to: seq }, false);
    }
  }

  /** Highlights the lines and puts them in the address (replaced, so Back leaves the log as before). */
  function select(next, scroll = true) {
    lines = next;
    for (const li of list.children) {
      const on = isSelected(lines, Number(li.dataset.seq));
      li.classList.toggle('highlighted', on);
      if (on) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    history.replaceState(null, '', `${location.pathname}${location.search}${lineLink(runId, lines.from, lines.to)}`);
    if (scroll) scrollToSelection();
  }

  function scrollToSelection() {
    if (!lines) return;
    list.querySelector(`li[data-seq="${lines.from}"]`)?.scrollIntoView({ block: 'center' });
  }

  async function copyLink(seq) {
    const url = `${location.origin}${location.pathname}${location.search}${lineLink(runId, seq)}`;
    fallback.hidden = true;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      copyStatus.textContent = `Copied the link to line ${seq}.`;
      copyStatus.dataset.link = url;
    } catch {
      // No clipboard here (an insecure origin, or permission refused): show the link to copy by hand.
      const input = h('input#copy-fallback-link.mono', { type: 'text', readonly: true, value: url, 'aria-label': `Link to line ${seq}` });
      fallback.replaceChildren(h('label', { for: 'copy-fallback-link' }, `Link to line ${seq} (copy it with Ctrl+C / ⌘C):`), ' ', input,
        h('button.secondary', { type: 'button', onclick: () => { fallback.hidden = true; } }, 'Close'));
      fallback.hidden = false;
      copyStatus.textContent = '';
      input.focus();
      input.select();
    }
  }

  return {
    /** The address names other lines (a link followed on this page): highlight them, loading their page if needed. */
    setLines(next) {
      if (!next) return;
      anchor = next.from;
      if (covers(state, next)) select(next);
      else {
        lines = next;
        load(aroundQuery(next), null).then(() => scrollToSelection());
      }
    },
    linesValue: () => (lines ? linesValue(lines) : null),
  };
}
