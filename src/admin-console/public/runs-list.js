// The runs list: newest first, filtered by status and portfolio, more on scroll (next_cursor), and
// running runs kept current by polling.

import { API, apiJson, describeError, isAbort, runPath } from './api.js';
import { clear, formatDateTime, formatDuration, formatNumber, h, runDuration, statusBadge, tableHead } from './dom.js';
import { searchHash } from './search-model.js';

const PAGE = 25;
export const POLL_MS = 3000;
const STATUSES = ['running', 'completed', 'failed', 'partial'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function listHash(filters) {
  const q = new URLSearchParams();
  if (filters.status) q.set('status', filters.status);
  if (filters.portfolio) q.set('portfolio', filters.portfolio);
  const s = q.toString();
  return `#/runs${s ? `?${s}` : ''}`;
}

export function mountRunsList(root, { query }, app) {
  const controller = new AbortController();
  const signal = controller.signal;
  const filters = { status: STATUSES.includes(query.get('status')) ? query.get('status') : '', portfolio: query.get('portfolio') ?? '' };
  const rows = new Map(); // batch_run_id -> { run, tr }
  let cursor = null;
  let exhausted = false;
  let loading = null;
  let generation = 0;

  const statusSelect = h('select#filter-status', { name: 'status' },
    h('option', { value: '', text: 'All statuses' }),
    STATUSES.map((s) => h('option', { value: s, text: s })));
  statusSelect.value = filters.status;
  const portfolioInput = h('input#filter-portfolio', {
    type: 'search', name: 'portfolio', placeholder: 'portfolio UUID', spellcheck: 'false', autocomplete: 'off',
    value: filters.portfolio, size: 38, 'aria-describedby': 'filter-error',
  });
  const filterError = h('p#filter-error.field-error', { role: 'alert' });
  const message = h('p.message', { role: 'status' });
  const tbody = h('tbody');
  const table = h('table.runs',
    h('caption.visually-hidden', { text: 'Batch runs, newest first' }),
    tableHead('Status', 'Batch run', 'Portfolio', 'Started', 'Duration#num', 'Jobs done / failed#num', 'Log entries#num'),
    tbody);
  const moreButton = h('button.secondary#load-more', { type: 'button', onclick: () => loadMore() }, 'Load more');
  const footer = h('div.list-footer', moreButton, h('span.muted#list-footer-text'));
  const sentinel = h('div.sentinel', { 'aria-hidden': 'true' });

  const form = h('form.filters', { role: 'search', 'aria-label': 'Filter runs', onsubmit: (e) => { e.preventDefault(); applyFilters(); } },
    h('label', { for: 'filter-status' }, 'Status'), statusSelect,
    h('label', { for: 'filter-portfolio' }, 'Portfolio'), portfolioInput,
    h('button.primary', { type: 'submit' }, 'Apply'),
    h('button.secondary', { type: 'button', onclick: () => { statusSelect.value = ''; portfolioInput.value = ''; applyFilters(); } }, 'Clear'),
    filterError);
  statusSelect.addEventListener('change', () => applyFilters());

  clear(root).append(h('section.view.runs-view', { 'aria-labelledby': 'runs-title' },
    h('div.view-head',
      h('h1#runs-title', 'Batch runs'),
      h('p.muted', 'Newest first. Running runs update live; open a run for its details, log downloads and timeline.'),
      logSearchBox()),
    form, message, h('div.table-wrap', table), footer, sentinel));

  /** The search across every run's log (search-view.js, #/search?q=...). */
  function logSearchBox() {
    const input = h('input#quick-search-q', { type: 'search', name: 'q', placeholder: 'Search every run\'s log', autocomplete: 'off', spellcheck: 'false', maxlength: 200, size: 28 });
    return h('form.quick-search', { role: 'search', 'aria-label': 'Search the logs of every run', onsubmit: (e) => { e.preventDefault(); location.hash = searchHash({ q: input.value }); } },
      h('label.visually-hidden', { for: 'quick-search-q' }, 'Search the logs of every run'), input,
      h('button.secondary#quick-search-submit', { type: 'submit' }, 'Search logs'));
  }

  function applyFilters() {
    const portfolio = portfolioInput.value.trim();
    if (portfolio && !UUID.test(portfolio)) {
      filterError.textContent = 'Portfolio must be a UUID, like 6f1c2a9e-4b7d-4c1e-9a51-3d2f8e7b0c11.';
      portfolioInput.setAttribute('aria-invalid', 'true');
      portfolioInput.focus();
      return;
    }
    filterError.textContent = '';
    portfolioInput.removeAttribute('aria-invalid');
    filters.status = statusSelect.value;
    filters.portfolio = portfolio;
    history.replaceState(null, '', listHash(filters));
    app.rememberList(listHash(filters));
    reset();
  }

  function queryString(extra = {}) {
    const q = new URLSearchParams({ limit: String(PAGE), ...extra });
    if (filters.status) q.set('status', filters.status);
    if (filters.portfolio) q.set('portfolio_id', filters.portfolio);
    return q.toString();
  }

  function reset() {
    generation += 1;
    rows.clear();
    clear(tbody);
    cursor = null;
    exhausted = false;
    loading = null;
    message.textContent = '';
    loadMore();
  }

  function loadMore() {
    if (loading || exhausted) return loading;
    const mine = generation;
    setFooter('Loading…', true);
    loading = apiJson(`${API}?${queryString(cursor ? { cursor } : {})}`, { signal })
      .then((page) => {
        if (mine !== generation) return;
        for (const run of page.runs) upsert(run, 'end');
        cursor = page.next_cursor;
        exhausted = !cursor;
        if (rows.size === 0) {
          tbody.append(h('tr.empty', h('td', { colspan: 7, text: filters.status || filters.portfolio ? 'No runs match these filters.' : 'No runs yet. Runs appear here as soon as a batch starts.' })));
        }
        setFooter(exhausted ? (rows.size > 1 ? `All ${formatNumber(rows.size)} runs shown.` : '') : '', false);
      })
      .catch((error) => {
        if (isAbort(error) || mine !== generation) return;
        message.textContent = describeError(error, 'Loading the runs');
        message.classList.add('error');
        setFooter('', false);
      })
      .finally(() => {
        if (mine === generation) loading = null;
        // The page may still not fill the screen: keep loading while the sentinel is visible.
        if (mine === generation && !exhausted && sentinelVisible) setTimeout(() => loadMore(), 0);
      });
    return loading;
  }

  function setFooter(text, busy) {
    footer.querySelector('#list-footer-text').textContent = text;
    moreButton.hidden = exhausted;
    moreButton.disabled = busy;
    moreButton.setAttribute('aria-busy', String(busy));
  }

  function upsert(run, where) {
    const existing = rows.get(run.batch_run_id);
    const tr = renderRow(run);
    if (existing) {
      existing.tr.replaceWith(tr);
    } else {
      tbody.querySelector('tr.empty')?.remove();
      if (where === 'end') tbody.append(tr);
      else insertSorted(tr, run);
    }
    rows.set(run.batch_run_id, { run, tr });
  }

  /** A new run found by the poll goes where its start time puts it (normally the top). */
  function insertSorted(tr, run) {
    for (const { run: other, tr: otherTr } of rows.values()) {
      if (compare(run, other) < 0) {
        otherTr.before(tr);
        return;
      }
    }
    tbody.append(tr);
  }

  function renderRow(run) {
    const href = `#/runs/${encodeURIComponent(run.batch_run_id)}`;
    const tr = h('tr', { dataset: { runId: run.batch_run_id, status: run.status } },
      h('td', statusBadge(run.status)),
      h('td',
        h('a.run-link.mono', { href, text: run.batch_run_id }),
        run.status === 'running' && run.current_phase ? h('div.sub', { text: run.current_phase }) : null),
      h('td', run.portfolio_id
        ? h('button.link.mono', {
            type: 'button', title: `${run.portfolio_id} (show only this portfolio's runs)`,
            'aria-label': `Show only runs of portfolio ${run.portfolio_id}`,
            onclick: (e) => { e.stopPropagation(); portfolioInput.value = run.portfolio_id; applyFilters(); },
          }, `${run.portfolio_id.slice(0, 8)}…`)
        : h('span.muted', { text: '—' })),
      h('td', h('time', { datetime: run.started_at, title: run.started_at, text: formatDateTime(run.started_at) })),
      h('td.num.duration', { dataset: run.status === 'running' ? { live: run.started_at } : {} , text: formatDuration(runDuration(run)) }),
      h('td.num.jobs',
        h('span', { text: `${formatNumber(run.completed_jobs)} done` }), ' / ',
        h(run.failed_jobs > 0 ? 'span.failed-count' : 'span', { text: `${formatNumber(run.failed_jobs)} failed` }),
        h('span.muted', { text: ` of ${formatNumber(run.total_jobs)}` })),
      h('td.num', { text: formatNumber(run.log_entry_count) }));
    // The whole row opens the run for a mouse; keyboard users have the link.
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a, button')) return;
      location.hash = href;
    });
    return tr;
  }

  // ---- more on scroll ---------------------------------------------------------------------------
  let sentinelVisible = false;
  const observer = new IntersectionObserver((entries) => {
    sentinelVisible = entries.some((e) => e.isIntersecting);
    if (sentinelVisible) loadMore();
  }, { rootMargin: '200px' });
  observer.observe(sentinel);

  // ---- live: poll the first page (new runs, changes), and each running run further down ---------
  const poll = async () => {
    if (document.hidden || loading) return;
    const mine = generation;
    try {
      const page = await apiJson(`${API}?${queryString()}`, { signal });
      if (mine !== generation) return;
      const seen = new Set();
      for (const run of page.runs) {
        seen.add(run.batch_run_id);
        const known = rows.get(run.batch_run_id);
        if (known) {
          if (changed(known.run, run)) upsert(run);
        } else if (isNewer(run)) upsert(run, 'sorted');
      }
      for (const { run } of [...rows.values()]) {
        if (run.status !== 'running' || seen.has(run.batch_run_id)) continue;
        const fresh = await apiJson(runPath(run.batch_run_id), { signal });
        if (mine === generation && changed(run, fresh)) upsert(fresh);
      }
      message.classList.remove('error');
      if (message.textContent.startsWith('Live updates paused')) message.textContent = '';
    } catch (error) {
      if (isAbort(error) || mine !== generation) return;
      message.textContent = `Live updates paused: ${describeError(error, 'Refreshing the runs')}`;
    }
  };
  const pollTimer = setInterval(poll, app.pollMs ?? POLL_MS);
  const tickTimer = setInterval(() => {
    for (const td of tbody.querySelectorAll('td.duration[data-live]')) {
      td.textContent = formatDuration(Date.now() - Date.parse(td.dataset.live));
    }
  }, 1000);

  /** A run the list has not shown, started after its newest one (or any, when the list is short). */
  function isNewer(run) {
    const first = rows.values().next().value;
    return !first || compare(run, first.run) <= 0 || exhausted;
  }

  reset();

  return {
    destroy() {
      controller.abort();
      observer.disconnect();
      clearInterval(pollTimer);
      clearInterval(tickTimer);
    },
  };
}

/** Newest first: started_at descending, then batch_run_id descending (the API's keyset order). */
function compare(a, b) {
  if (a.started_at !== b.started_at) return a.started_at < b.started_at ? 1 : -1;
  return a.batch_run_id < b.batch_run_id ? 1 : a.batch_run_id > b.batch_run_id ? -1 : 0;
}

function changed(a, b) {
  return ['status', 'completed_at', 'completed_jobs', 'failed_jobs', 'log_entry_count', 'current_phase'].some((k) => a[k] !== b[k]);
}
