// The run page's Compare tab (#/runs/<id>/compare[?with=<id>]): the run beside another (by default the
// last completed run of its portfolio, else of its batch name): the phases side by side with what
// changed, then the lines only in one run or the other, each linking to its line in its run's log.
// What is shown comes from compare-model.js; this file only fetches and draws (dom.js h, never markup).

import { renderMessage } from './ansi-render.js';
import { apiJson, ApiError, describeError, isAbort, runPath } from './api.js';
import { clear, formatDateTime, formatDuration, formatNumber, formatTime, h, statusBadge, tableHead } from './dom.js';
import { compareHref, compareModel, compareQuery, LAST_COMPLETED } from './compare-model.js';

const LEVEL_LABEL = { info: 'INFO', warning: 'WARN', error: 'ERROR' };

export function mountCompare(root, { runId, withId = LAST_COMPLETED, signal }) {
  let current = null; // the AbortController of the comparison being fetched
  const form = h('form.compare-form', { onsubmit: pickOther },
    h('label', { for: 'compare-with' }, 'Compare with run'),
    h('input#compare-with', { type: 'text', name: 'with', placeholder: 'a run id, or empty for the last completed run', autocomplete: 'off', spellcheck: 'false' }),
    h('button', { type: 'submit' }, 'Compare'),
    h('a#compare-last-completed', { href: compareHref(runId) }, 'Last completed run'));
  const status = h('p.message#compare-status', { role: 'status', 'aria-live': 'polite' });
  const body = h('div.compare-body');
  clear(root).append(form, status, body);

  /** The form changes the address; the router calls setWith, so a comparison is always a link. */
  function pickOther(event) {
    event.preventDefault();
    const value = form.elements.with.value.trim();
    location.hash = compareHref(runId, value || LAST_COMPLETED);
  }

  async function load(other) {
    current?.abort();
    const abort = new AbortController();
    current = abort;
    const onViewClosed = () => abort.abort();
    signal?.addEventListener('abort', onViewClosed, { once: true });
    form.elements.with.value = other === LAST_COMPLETED ? '' : other;
    status.className = 'message';
    status.textContent = other === LAST_COMPLETED ? 'Comparing with the last completed run…' : `Comparing with ${other}…`;
    body.replaceChildren();
    try {
      const answer = await apiJson(runPath(runId, compareQuery(other)), { signal: abort.signal });
      status.textContent = '';
      render(compareModel(answer));
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted) return;
      status.className = 'message error';
      status.textContent = failure(error, other);
    } finally {
      signal?.removeEventListener('abort', onViewClosed);
    }
  }

  function failure(error, other) {
    if (error instanceof ApiError && error.body?.code === 'no_comparable_run') {
      return 'There is no completed run to compare with: no other run of this portfolio (or, without a portfolio, of this batch name) has completed. Name a run to compare with above.';
    }
    if (error instanceof ApiError && error.status === 404) return `There is no run "${other === LAST_COMPLETED ? runId : other}" to compare.`;
    if (error instanceof ApiError && error.status === 400) return `That cannot be compared: ${error.message}.`;
    return describeError(error, 'The comparison');
  }

  function render(m) {
    body.replaceChildren(
      h('p.compare-head',
        'This run ', h('a.mono', { href: m.run.href, text: m.run.batch_run_id }), ' ', statusBadge(m.run.status),
        ' compared with ', h('a.mono#compare-other', { href: m.other.href, text: m.other.batch_run_id }), ' ', statusBadge(m.other.status),
        h('span.muted', { text: ` (started ${formatDateTime(m.other.started_at)})` })),
      phasesCard(m),
      h('p.compare-summary#compare-summary', { text: m.summary }),
      ...(m.truncated ? [h('p.message.compare-truncated', 'The lists are cut: more lines differ than are shown, or a run holds more entries than are compared (200,000).')] : []),
      h('div.compare-lines',
        linesCard('Only in this run', 'only-in-run', m.onlyInRun, m.run.batch_run_id),
        linesCard(`Only in ${m.other.batch_run_id}`, 'only-in-other', m.onlyInOther, m.other.batch_run_id)),
      h('p.muted.compare-rules', { text: `Lines are compared by level, phase and message, leaving out ${m.normalisation}; the order of lines does not count.` }));
  }

  function phasesCard(m) {
    const side = (s) => (s
      ? [h('td', statusBadge(s.status)), h('td.num', { text: formatDuration(s.duration_ms) }), h('td.num', { text: formatNumber(s.entry_count) })]
      : [h('td.muted', { colspan: 3, text: 'no such phase' })]);
    const rows = m.phases.map((p) => h('tr', { dataset: { phase: p.name, presence: p.presence, changed: String(p.statusChanged) } },
      h('td.phase-name', { text: p.name }),
      side(p.run),
      side(p.other),
      h(`td.num.delta${p.durationDelta > 0 ? '.slower' : p.durationDelta < 0 ? '.faster' : ''}`, { text: p.durationDeltaText ?? '—' }),
      h('td.num.delta', { text: p.entryDeltaText ?? '—' })));
    if (!rows.length) rows.push(h('tr', h('td.muted', { colspan: 9, text: 'Neither run has phases.' })));
    return h('article.card.compare-phases', { 'aria-labelledby': 'compare-phases-title' },
      h('h2#compare-phases-title', 'Phases side by side'),
      h('div.table-wrap', h('table.compare-phase-table',
        h('thead',
          h('tr', h('td'), h('th.side', { colspan: 3, scope: 'colgroup', text: 'This run' }), h('th.side', { colspan: 3, scope: 'colgroup', text: m.other.batch_run_id }), h('th', { colspan: 2, scope: 'colgroup', text: 'Change' })),
          tableHead('Phase', 'Status', 'Duration#num', 'Entries#num', 'Status', 'Duration#num', 'Entries#num', 'Duration#num', 'Entries#num').firstChild),
        h('tbody', rows))));
  }

  function linesCard(title, id, lines, lineRunId) {
    return h(`article.card.compare-list#${id}`, { 'aria-labelledby': `${id}-title` },
      h(`h2#${id}-title`, title, h('span.muted', { text: ` (${formatNumber(lines.length)})` })),
      lines.length
        ? h('ol.compare-entries', { 'aria-label': `${title}: lines of ${lineRunId}` }, lines.map((l) =>
          h(`li.compare-line.level-${/^[a-z]+$/.test(l.level) ? l.level : 'info'}`, { dataset: { seq: String(l.seq) } },
            h('a.seq-link', { href: l.href, title: `Line ${l.seq} in ${lineRunId}'s log`, text: `#${l.seq}` }),
            h('time.time', { datetime: l.timestamp, title: l.timestamp, text: formatTime(Date.parse(l.timestamp)) }),
            h('span.level', { text: LEVEL_LABEL[l.level] ?? l.level }),
            h('span.phase', { title: l.phase ?? '', text: l.phase ?? '' }),
            h('span.msg', renderMessage(l.message)))))
        : h('p.muted', 'None.'));
  }

  load(withId);

  return {
    /** The address named another run (or the last completed one again). */
    setWith(next) {
      withId = next;
      load(next);
    },
    destroy() {
      current?.abort();
    },
  };
}
