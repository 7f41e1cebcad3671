// The search views: across runs (#/search?q=...: the runs whose log matches, newest first, each with its
// match count and first matches) and inside one run (the run page's Search tab, #/runs/<id>/search?q=...:
// every match with the lines around it). What is shown comes from search-model.js; this file only
// fetches and draws. The address bar always holds the search, so a search is a link.

import { renderMessage } from './ansi-render.js';
import { apiJson, ApiError, describeError, isAbort, runPath } from './api.js';
import { clear, formatDateTime, formatNumber, formatTime, h, plural, statusBadge } from './dom.js';
import {
  acrossApiPath, appendRuns, checkParams, CONTEXT_CHOICES, isoToLocalInput, LEVELS, localInputToIso, matchBlocks, normaliseParams,
  RUN_STATUSES, runResultView, runSearchApiSuffix, runSearchHash, searchErrorMessage, searchHash,
} from './search-model.js';

const RUNS_PAGE = 20;
const MATCHES_PAGE = 50;
const LEVEL_LABEL = { info: 'INFO', warning: 'WARN', error: 'ERROR' };

/** The text with its marked segments in <mark>, every part set as text. */
function highlighted(segments) {
  return segments.map((s) => (s.mark ? h('mark', { text: s.text }) : s.text));
}

/** A refused search is said beside the box; anything else (network, 403, 503) in the view's message. */
function searchFailure(error) {
  if (error instanceof ApiError) {
    const said = searchErrorMessage({ status: error.status, code: error.body?.code, message: error.message });
    if (said) return { field: error.body?.field ?? 'q', text: said };
  }
  return null;
}

// ---- across runs -------------------------------------------------------------------------------------

export function mountSearch(root, { params: initial }, app) {
  const controller = new AbortController();
  const signal = controller.signal;
  let params = normaliseParams(initial);
  let shown = [];
  let cursor = null;
  let generation = 0;
  let loading = false;

  const qInput = h('input#search-q', { type: 'search', name: 'q', placeholder: 'Words in log messages, e.g. unknown ISIN', autocomplete: 'off', spellcheck: 'false', maxlength: 200, size: 40, 'aria-describedby': 'search-error', value: params.q });
  const regexBox = h('input#search-regex', { type: 'checkbox', name: 'regex' });
  regexBox.checked = params.regex;
  const statusSelect = h('select#search-status', { name: 'status' }, h('option', { value: '', text: 'All statuses' }), RUN_STATUSES.map((s) => h('option', { value: s, text: s })));
  statusSelect.value = params.status;
  const levelSelect = h('select#search-level', { name: 'level' }, h('option', { value: '', text: 'All levels' }), LEVELS.map((l) => h('option', { value: l, text: l })));
  levelSelect.value = params.level;
  const portfolioInput = h('input#search-portfolio', { type: 'search', name: 'portfolio_id', placeholder: 'portfolio UUID', spellcheck: 'false', autocomplete: 'off', size: 30, value: params.portfolio_id });
  const sinceInput = h('input#search-since', { type: 'datetime-local', name: 'since', value: isoToLocalInput(params.since) });
  const untilInput = h('input#search-until', { type: 'datetime-local', name: 'until', value: isoToLocalInput(params.until) });
  const fieldInputs = { q: qInput, portfolio_id: portfolioInput, since: sinceInput, until: untilInput };
  const formError = h('p#search-error.field-error', { role: 'alert' });
  const message = h('p.message#search-message', { role: 'status' });
  const summary = h('p#search-summary.muted', { role: 'status' });
  const results = h('ol.search-results#search-results', { 'aria-label': 'Runs that match, newest first' });
  const moreButton = h('button.secondary#search-more', { type: 'button', hidden: true, onclick: () => load() }, 'More runs');

  const form = h('form.filters.search-form#search-form', { role: 'search', 'aria-label': 'Search the logs of every run', onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('label', { for: 'search-q' }, 'Search'), qInput,
    h('label.check', regexBox, ' Regular expression'),
    h('button.primary#search-submit', { type: 'submit' }, 'Search'),
    h('div.search-filters',
      h('label', { for: 'search-status' }, 'Status'), statusSelect,
      h('label', { for: 'search-level' }, 'Level'), levelSelect,
      h('label', { for: 'search-portfolio' }, 'Portfolio'), portfolioInput,
      h('label', { for: 'search-since' }, 'Started since'), sinceInput,
      h('label', { for: 'search-until' }, 'until'), untilInput),
    formError);

  clear(root).append(h('section.view.search-view', { 'aria-labelledby': 'search-title' },
    h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, h('a', { href: app.listHashValue(), text: '← All runs' })),
    h('div.view-head',
      h('h1#search-title', 'Search logs'),
      h('p.muted', 'Every run\'s log, case-insensitive, ANSI colour codes ignored. Runs newest first; open a match to see its line in the run\'s log.')),
    form, message, summary, results, h('div.list-footer', moreButton)));

  function readForm() {
    return normaliseParams({
      q: qInput.value, regex: regexBox.checked, status: statusSelect.value, level: levelSelect.value,
      portfolio_id: portfolioInput.value, phase: params.phase,
      since: localInputToIso(sinceInput.value), until: localInputToIso(untilInput.value),
    });
  }

  function showFieldError(problem) {
    for (const input of Object.values(fieldInputs)) input.removeAttribute('aria-invalid');
    formError.textContent = problem ? problem.text ?? problem.message : '';
    if (problem) fieldInputs[problem.field]?.setAttribute('aria-invalid', 'true');
  }

  function submit() {
    const next = readForm();
    const problem = checkParams(next, 'across');
    if (problem) {
      showFieldError(problem);
      (fieldInputs[problem.field] ?? qInput).focus();
      return;
    }
    params = next;
    history.replaceState(null, '', searchHash(params));
    start();
  }

  function start() {
    generation += 1;
    shown = [];
    cursor = null;
    loading = false;
    clear(results);
    summary.textContent = '';
    message.textContent = '';
    message.className = 'message';
    showFieldError(null);
    moreButton.hidden = true;
    document.title = params.q ? `Search “${params.q}” · runlog admin` : 'Search · runlog admin';
    if (params.q.trim()) load();
    else qInput.focus();
  }

  async function load() {
    if (loading) return;
    const mine = generation;
    loading = true;
    moreButton.disabled = true;
    summary.textContent = shown.length ? 'Loading more runs…' : 'Searching…';
    try {
      const page = await apiJson(acrossApiPath(params, { cursor, limit: RUNS_PAGE }), { signal });
      if (mine !== generation) return;
      const before = shown.length;
      shown = appendRuns(shown, page.runs);
      for (const result of shown.slice(before)) results.append(runItem(runResultView(result, params)));
      cursor = page.next_cursor ?? null;
      summary.textContent = shown.length === 0
        ? `No run's log matches “${params.q}”${filtersSet() ? ' with these filters' : ''}.`
        : `${plural(shown.length, 'run')} ${cursor ? 'so far ' : ''}with matches, newest first.`;
      summary.dataset.runs = String(shown.length);
      moreButton.hidden = !cursor;
    } catch (error) {
      if (isAbort(error) || mine !== generation) return;
      summary.textContent = '';
      const refused = searchFailure(error);
      if (refused) {
        showFieldError(refused);
      } else {
        message.textContent = describeError(error, 'The search');
        message.className = 'message error';
      }
    } finally {
      if (mine === generation) {
        loading = false;
        moreButton.disabled = false;
      }
    }
  }

  function filtersSet() {
    return Boolean(params.status || params.level || params.phase || params.portfolio_id || params.since || params.until);
  }

  function runItem(view) {
    const { run } = view;
    return h('li.search-run', { dataset: { runId: run.batch_run_id, status: run.status } },
      h('div.search-run-head',
        statusBadge(run.status),
        h('a.run-link.mono', { href: view.runLink, text: run.batch_run_id }),
        run.batch_name ? h('span.batch-name', { text: run.batch_name }) : null,
        h('span.muted', 'started ', h('time', { datetime: run.started_at, title: run.started_at, text: formatDateTime(run.started_at) })),
        h('span.match-count', { dataset: { count: view.matchCount }, text: plural(view.matchCount, 'match', 'matches') })),
      h('ol.search-hits', view.firstMatches.map((m) => h(`li.search-hit.level-${m.level}`, { dataset: { seq: m.seq } },
        h('a.seq-link.mono', { href: m.link, title: `Line ${m.seq} in the run's log`, text: `#${m.seq}` }),
        h('span.level', { text: LEVEL_LABEL[m.level] ?? m.level }),
        h('span.phase', { title: m.phase ?? '', text: m.phase ?? '—' }),
        h('span.msg', highlighted(m.segments))))),
      h('a.all-matches', { href: view.runSearchLink },
        view.moreMatches > 0 ? `All ${formatNumber(view.matchCount)} matches in this run, with context →` : 'These matches with context →'));
  }

  start();

  return {
    destroy() {
      controller.abort();
    },
  };
}

// ---- inside one run ----------------------------------------------------------------------------------

/**
 * The run page's Search tab, mounted into its panel. `run` names the phases offered; setParams is the
 * router's way in when the address changes to another search of the same run.
 */
export function mountRunSearch(panel, { runId, run, params: initial, signal: viewSignal }) {
  const controller = new AbortController();
  const signal = controller.signal;
  viewSignal?.addEventListener('abort', () => controller.abort(), { once: true });
  let params = normaliseParams(initial);
  let matches = [];
  let cursor = null;
  let total = 0;
  let generation = 0;
  let loading = false;

  const qInput = h('input#run-search-q', { type: 'search', name: 'q', placeholder: 'Search this run\'s log', autocomplete: 'off', spellcheck: 'false', maxlength: 200, size: 34, 'aria-describedby': 'run-search-error', value: params.q });
  const regexBox = h('input#run-search-regex', { type: 'checkbox', name: 'regex' });
  regexBox.checked = params.regex;
  const levelSelect = h('select#run-search-level', { name: 'level', 'aria-label': 'Level' }, h('option', { value: '', text: 'All levels' }), LEVELS.map((l) => h('option', { value: l, text: l })));
  levelSelect.value = params.level;
  const phaseNames = [...new Set([...(run?.phases ?? []).map((p) => p.name), params.phase].filter(Boolean))];
  const phaseSelect = h('select#run-search-phase', { name: 'phase', 'aria-label': 'Phase' }, h('option', { value: '', text: 'All phases' }), phaseNames.map((p) => h('option', { value: p, text: p })));
  phaseSelect.value = params.phase;
  const contextChoices = [...new Set([...CONTEXT_CHOICES, params.context])].sort((a, b) => a - b);
  const contextSelect = h('select#run-search-context', { name: 'context' }, contextChoices.map((n) => h('option', { value: String(n), text: n === 0 ? 'no lines' : `${n} lines` })));
  contextSelect.value = String(params.context);
  const formError = h('p#run-search-error.field-error', { role: 'alert' });
  const message = h('p.message#run-search-message', { role: 'status' });
  const totalEl = h('p#run-search-total.muted', { role: 'status' });
  const blocksEl = h('div.search-blocks#run-search-results');
  const moreButton = h('button.secondary#run-search-more', { type: 'button', hidden: true, onclick: () => load() }, 'Load more matches');

  const form = h('form.log-toolbar.search-form#run-search-form', { role: 'search', 'aria-label': 'Search this run\'s log', onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('label.visually-hidden', { for: 'run-search-q' }, 'Search this run\'s log'), qInput,
    h('label.check', regexBox, ' Regular expression'),
    levelSelect, phaseSelect,
    h('label', { for: 'run-search-context' }, 'Context'), contextSelect,
    h('button.primary#run-search-submit', { type: 'submit' }, 'Search'),
    formError);
  contextSelect.addEventListener('change', () => { if (params.q.trim()) submit(); });

  clear(panel).append(h('div.run-search',
    h('div.log-panel', form, h('div.run-search-body', message, totalEl, blocksEl, h('div.list-footer', moreButton)))));

  function readForm() {
    return normaliseParams({ q: qInput.value, regex: regexBox.checked, level: levelSelect.value, phase: phaseSelect.value, context: contextSelect.value });
  }

  function showFieldError(text) {
    formError.textContent = text ?? '';
    if (text) qInput.setAttribute('aria-invalid', 'true');
    else qInput.removeAttribute('aria-invalid');
  }

  function submit() {
    const next = readForm();
    const problem = checkParams(next, 'run');
    if (problem) {
      showFieldError(problem.message);
      qInput.focus();
      return;
    }
    params = next;
    history.replaceState(null, '', runSearchHash(runId, params));
    start();
  }

  function start() {
    generation += 1;
    matches = [];
    cursor = null;
    total = 0;
    loading = false;
    clear(blocksEl);
    totalEl.textContent = '';
    delete totalEl.dataset.total;
    message.textContent = '';
    message.className = 'message';
    showFieldError(null);
    moreButton.hidden = true;
    if (params.q.trim()) load();
  }

  async function load() {
    if (loading) return;
    const mine = generation;
    loading = true;
    moreButton.disabled = true;
    if (!matches.length) totalEl.textContent = 'Searching…';
    try {
      const page = await apiJson(runPath(runId, runSearchApiSuffix(params, { cursor, limit: MATCHES_PAGE })), { signal });
      if (mine !== generation) return;
      matches = [...matches, ...page.matches];
      total = page.total_matches ?? matches.length;
      cursor = page.next_cursor ?? null;
      renderBlocks();
      totalEl.textContent = total === 0
        ? `No line matches “${params.q}”.`
        : `${plural(total, 'match', 'matches')}${matches.length < total ? `, ${formatNumber(matches.length)} shown` : ''}.`;
      totalEl.dataset.total = String(total);
      totalEl.dataset.shown = String(matches.length);
      moreButton.hidden = !cursor;
    } catch (error) {
      if (isAbort(error) || mine !== generation) return;
      totalEl.textContent = '';
      const refused = searchFailure(error);
      if (refused) showFieldError(refused.text);
      else {
        message.textContent = describeError(error, 'The search');
        message.className = 'message error';
      }
    } finally {
      if (mine === generation) {
        loading = false;
        moreButton.disabled = false;
      }
    }
  }

  /** Every page so far, as blocks: matches close together share their context (search-model matchBlocks). */
  function renderBlocks() {
    blocksEl.replaceChildren(...matchBlocks(runId, matches).map((block) => h('section.search-block', { dataset: { from: block.from, to: block.to } },
      h('div.block-head', h('a.range-link', { href: block.link, title: 'Open these lines in the log' },
        block.from === block.to ? `Line ${block.from}` : `Lines ${block.from}–${block.to}`)),
      h('ol.search-lines', block.lines.map(lineRow)))));
  }

  function lineRow(line) {
    const isMatch = line.kind === 'match';
    return h(`li.search-line.${isMatch ? 'match' : 'context'}.level-${line.level}`, { dataset: { seq: line.seq, kind: line.kind } },
      h('a.seq-link.mono', { href: line.link, title: `Line ${line.seq} in the log`, text: String(line.seq) }),
      h('time.time.mono', { datetime: line.timestamp, title: line.timestamp ?? '', text: line.timestamp ? formatTime(Date.parse(line.timestamp)) : '' }),
      h('span.level', { text: LEVEL_LABEL[line.level] ?? line.level }),
      h('span.phase', { title: line.phase ?? '', text: line.phase ?? '—' }),
      // The match: the API's text without ANSI codes, marked; a context line: its message in colour (ansi-render.js).
      h('span.msg', isMatch ? highlighted(line.segments) : renderMessage(line.message)));
  }

  start();

  return {
    setParams(next) {
      const fresh = normaliseParams(next);
      if (JSON.stringify(fresh) === JSON.stringify(params)) return;
      params = fresh;
      qInput.value = params.q;
      regexBox.checked = params.regex;
      levelSelect.value = params.level;
      phaseSelect.value = params.phase;
      contextSelect.value = String(params.context);
      start();
    },
    /** Back on the tab by its bare link: the address shows the search still on screen. */
    keepAddress() {
      if (params.q.trim()) history.replaceState(null, '', runSearchHash(runId, params));
      else qInput.focus();
    },
    destroy() {
      controller.abort();
    },
  };
}
