// One run: its header, the Overview tab (details card, phases, Activity Logs with downloads), the
// Timeline tab and the Log lines tab (log-page.js: the page of the log around linked lines). A running
// run is followed live through its event stream.

import { apiJson, ApiError, describeError, isAbort, requireSignIn, runPath, SignInCancelled } from './api.js';
import { clear, formatBytes, formatDateTime, formatDuration, formatNumber, h, plural, runDuration, statusBadge, tableHead, throttle } from './dom.js';
import { fetchLog, FORMATS, saveBlob } from './download.js';
import { RunEventFeed } from './events.js';
import { mountTimeline } from './timeline.js';
import { mountLogPage } from './log-page.js';
import { parseLines } from './log-page-model.js';
import { parseSearchHash } from './search-model.js';
import { mountRunSearch } from './search-view.js';
import { compareHref, compareWithOf } from './compare-model.js';
import { mountCompare } from './compare-view.js';

export function mountRun(root, runId, tab, app) {
  const controller = new AbortController();
  const signal = controller.signal;
  const feed = new RunEventFeed(runId);
  let run = null;
  let timeline = null;
  let currentTab = tab;
  let countEl, dlButtons, dlProgress, dlStatus, dlCancel, countdownTimer; // the Activity Logs card
  let downloading = null; // the AbortController of the download under way

  const title = h('h1.run-title', h('span.visually-hidden', 'Batch run '), h('span.mono', { text: runId }));
  const badgeSlot = h('span.badge-slot');
  const liveSlot = h('span.live-slot', { role: 'status' });
  const overviewTab = h('a.tab', { href: `#/runs/${encodeURIComponent(runId)}`, id: 'tab-overview' }, 'Overview');
  const timelineTab = h('a.tab', { href: `#/runs/${encodeURIComponent(runId)}/timeline`, id: 'tab-timeline' }, 'Timeline & log');
  const overview = h('section.panel#panel-overview', { 'aria-labelledby': 'tab-overview' });
  const timelinePanel = h('section.panel#panel-timeline', { 'aria-labelledby': 'tab-timeline' });
  const searchTab = h('a.tab', { href: `#/runs/${encodeURIComponent(runId)}/search`, id: 'tab-search' }, 'Search log');
  const searchPanel = h('section.panel#panel-search', { 'aria-labelledby': 'tab-search', hidden: true });
  let runSearch = null; // the Search tab (search-view.js), mounted when first shown
  const compareTab = h('a.tab', { href: compareHref(runId), id: 'tab-compare' }, 'Compare');
  const comparePanel = h('section.panel#panel-compare', { 'aria-labelledby': 'tab-compare', hidden: true });
  const compareLink = h('a.button.compare-link#compare-last', { href: compareHref(runId) }, 'Compare with last successful run');
  let compareView = null; // the Compare tab (compare-view.js), mounted when first shown
  let compareWith = null; // the run it compares with, as the address names it
  const logTab = h('a.tab', { href: `#/runs/${encodeURIComponent(runId)}/log`, id: 'tab-log' }, 'Log lines');
  const logPanel = h('section.panel#panel-log', { 'aria-labelledby': 'tab-log', hidden: true });
  let logPage = null; // the Log tab (log-page.js): pages of the log around linked lines, mounted when first shown
  const message = h('p.message', { role: 'alert' });

  clear(root).append(h('section.view.run-view',
    h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, h('a', { href: app.listHashValue(), text: '← All runs' })),
    h('div.run-head', title, badgeSlot, liveSlot, compareLink),
    h('nav.tabs', { 'aria-label': 'Run views' }, overviewTab, timelineTab, logTab, searchTab, compareTab),
    message, overview, timelinePanel, logPanel, searchPanel, comparePanel));

  // ---- overview: details card ------------------------------------------------------------------
  const details = h('dl.details');
  const phasesBody = h('tbody');
  const progress = h('div.run-progress');
  overview.append(
    h('div.cards',
      h('article.card.details-card', { 'aria-labelledby': 'details-title' },
        h('h2#details-title', 'Run details'), progress, details),
      logsCard()),
    h('article.card.phases-card', { 'aria-labelledby': 'phases-title' },
      h('h2#phases-title', 'Phases'),
      h('div.table-wrap', h('table.phases',
        tableHead('#', 'Phase', 'Status', 'Started', 'Completed', 'Duration#num', 'Jobs done#num', 'Jobs failed#num'),
        phasesBody))));

  function renderRun() {
    badgeSlot.replaceChildren(statusBadge(run.status));
    document.title = `${run.batch_run_id} · runlog admin`;
    const field = (label, value, opts = {}) => [h('dt', { text: label }), h(`dd${opts.mono ? '.mono' : ''}${opts.wide ? '.wide' : ''}`, opts.attrs ?? {}, value ?? '—')];
    const time = (iso) => (iso ? h('time', { datetime: iso, title: iso, text: formatDateTime(iso) }) : '—');
    details.replaceChildren(...[
      field('Batch run ID', run.batch_run_id, { mono: true, wide: true }),
      field('Portfolio', run.portfolio_id, { mono: true, wide: true }),
      field('Status', statusBadge(run.status)),
      field('Owner', run.owner_id, { mono: true }),
      field('Started', time(run.started_at)),
      field('Completed', time(run.completed_at)),
      field('Duration', `${formatDuration(runDuration(run))}${run.status === 'running' ? ' (running)' : ''}`, { attrs: { id: 'run-duration' } }),
      field('Current phase', run.current_phase),
      field('Total jobs', formatNumber(run.total_jobs)),
      field('Completed jobs', formatNumber(run.completed_jobs)),
      field('Failed jobs', h(run.failed_jobs > 0 ? 'span.failed-count' : 'span', { text: formatNumber(run.failed_jobs) })),
      field('Log entries', formatNumber(run.log_entry_count), { attrs: { id: 'detail-entry-count' } }),
    ].flat());
    const done = run.completed_jobs + run.failed_jobs;
    const pct = run.total_jobs > 0 ? Math.min(100, Math.round((done / run.total_jobs) * 100)) : run.status === 'completed' ? 100 : 0;
    progress.replaceChildren(
      h('progress', { max: 100, value: pct, 'aria-label': 'Jobs finished' }),
      h('span.muted', { text: `${pct}% of jobs finished` }));
    phasesBody.replaceChildren(...(run.phases ?? []).map((p, i) => {
      // A phase still open when its run finished never completed: say so, and end it with the run.
      const unfinished = p.status === 'running' && run.status !== 'running';
      const end = p.completed_at ? Date.parse(p.completed_at) : unfinished && run.completed_at ? Date.parse(run.completed_at) : Date.now();
      return h('tr', { dataset: { status: unfinished ? 'unfinished' : p.status } },
        h('td.num', { text: i + 1 }),
        h('td', { text: p.name }),
        h('td', unfinished
          ? h('span', { title: 'The run finished while this phase was still open: it was never completed.' }, statusBadge('unfinished'))
          : statusBadge(p.status)),
        h('td', time(p.started_at)),
        h('td', time(p.completed_at)),
        h('td.num', { text: p.started_at ? formatDuration(end - Date.parse(p.started_at)) : '—' }),
        h('td.num', { text: formatNumber(p.completed_jobs) }),
        h('td.num', h(p.failed_jobs > 0 ? 'span.failed-count' : 'span', { text: formatNumber(p.failed_jobs) })));
    }));
    if (!run.phases?.length) phasesBody.append(h('tr', h('td.muted', { colspan: 8, text: 'No phases declared or seen yet.' })));
    liveSlot.replaceChildren(run.status === 'running' ? h('span.live-dot', { title: 'Updates live from the event stream' }, 'live') : '');
  }

  // ---- overview: Activity Logs -------------------------------------------------------------------
  function logsCard() {
    countEl = h('strong#log-count', { text: '…' });
    dlButtons = Object.entries(FORMATS).map(([format, { label }]) =>
      h('button.download', { type: 'button', dataset: { format }, onclick: () => download(format), 'aria-describedby': 'download-status' },
        h('span.spinner', { 'aria-hidden': 'true' }), h('span.label', { text: `Download ${label}` })));
    dlProgress = h('div.download-progress', { hidden: true },
      h('progress#download-bar', { max: 1, value: 0, 'aria-label': 'Download progress' }),
      h('span#download-progress-text.muted'));
    dlCancel = h('button.secondary', { type: 'button', hidden: true, onclick: () => downloading?.abort() }, 'Cancel');
    dlStatus = h('p#download-status.message', { role: 'status', 'aria-live': 'polite' });
    return h('article.card.logs-card', { 'aria-labelledby': 'logs-title' },
      h('h2#logs-title', 'Activity Logs'),
      h('p.count-line', countEl, h('span#log-count-label', ' entries in this run\'s log')),
      h('p.muted', 'TXT reads like a console log; JSON holds the run and its entries; NDJSON has one entry per line for tools.'),
      h('div.download-buttons', { role: 'group', 'aria-label': 'Download the log' }, dlButtons, dlCancel),
      dlProgress, dlStatus);
  }

  function showCount(count) {
    countEl.textContent = formatNumber(count);
    countEl.dataset.count = String(count);
    countEl.nextSibling.textContent = count === 1 ? ' entry in this run\'s log' : ' entries in this run\'s log';
  }

  async function loadCount() {
    const { count } = await apiJson(runPath(runId, '/logs/count'), { signal });
    showCount(count);
    return count;
  }

  async function download(format) {
    if (downloading) return;
    const abort = new AbortController();
    downloading = abort;
    const onViewClosed = () => abort.abort();
    signal.addEventListener('abort', onViewClosed, { once: true });
    const button = dlButtons.find((b) => b.dataset.format === format);
    const label = FORMATS[format].label;
    clearInterval(countdownTimer);
    setStatus('');
    for (const b of dlButtons) b.disabled = true;
    button.classList.add('busy');
    button.setAttribute('aria-busy', 'true');
    button.querySelector('.label').textContent = `Downloading ${label}…`;
    dlCancel.hidden = false;
    const bar = dlProgress.querySelector('progress');
    const text = dlProgress.querySelector('#download-progress-text');
    try {
      const expected = await loadCount().catch((e) => {
        if (e instanceof ApiError && e.status === 404) throw e;
        return Number(countEl.dataset.count ?? 0);
      });
      dlProgress.hidden = false;
      if (expected > 0) bar.max = expected;
      else bar.removeAttribute('value');
      text.textContent = `Starting ${label} download…`;
      const result = await fetchLog(runId, format, {
        signal: abort.signal,
        onProgress: ({ entries, bytes }) => {
          if (expected > 0) bar.value = Math.min(entries, expected);
          text.textContent = expected > 0
            ? `${formatNumber(Math.min(entries, expected))} of ${formatNumber(expected)} entries (${Math.floor((Math.min(entries, expected) / expected) * 100)}%) · ${formatBytes(bytes)}`
            : `${formatNumber(entries)} entries · ${formatBytes(bytes)}`;
        },
      });
      if (expected > 0) bar.value = expected;
      saveBlob(result.blob, result.filename);
      setStatus(`Saved ${result.filename}: ${plural(result.entries, 'entry', 'entries')}, ${formatBytes(result.bytes)}.`, 'ok');
      dlProgress.hidden = true;
    } catch (error) {
      dlProgress.hidden = true;
      if (signal.aborted) return;
      if (isAbort(error)) setStatus(`${label} download cancelled.`);
      else downloadFailed(error, label);
    } finally {
      signal.removeEventListener('abort', onViewClosed);
      downloading = null;
      for (const b of dlButtons) b.disabled = false;
      button.classList.remove('busy');
      button.removeAttribute('aria-busy');
      button.querySelector('.label').textContent = `Download ${label}`;
      dlCancel.hidden = true;
    }
  }

  function downloadFailed(error, label) {
    if (error instanceof ApiError && error.status === 429) {
      // Say when the budget is back, and count down to it.
      let left = error.retryAfterSeconds ?? 60;
      const at = new Date(Date.now() + left * 1000);
      const say = () => setStatus(
        `Too many downloads: the per-minute download limit is reached. Try again in ${left} s (at ${at.toLocaleTimeString()}).`, 'error');
      say();
      countdownTimer = setInterval(() => {
        left -= 1;
        if (left > 0) say();
        else {
          clearInterval(countdownTimer);
          setStatus('You can download again now.', 'ok');
        }
      }, 1000);
      return;
    }
    if (error instanceof SignInCancelled) {
      setStatus('', 'error');
      dlStatus.append(`${label} download stopped: you are signed out. `,
        h('button.link', { type: 'button', onclick: () => requireSignIn('Sign in again to download the log.').then(() => setStatus('Signed in: you can download now.', 'ok'), () => undefined) }, 'Sign in again'));
      return;
    }
    if (error?.name === 'DownloadInterrupted') {
      setStatus(`${label} download failed: ${error.message}. Nothing was saved; try again.`, 'error');
      return;
    }
    setStatus(`${label} download failed. ${describeError(error, 'The download')}`, 'error');
  }

  function setStatus(text, kind = '') {
    dlStatus.textContent = text;
    dlStatus.className = `message ${kind}`;
  }

  // ---- loading and live updates ------------------------------------------------------------------
  async function loadRun() {
    const fresh = await apiJson(runPath(runId), { signal });
    run = fresh;
    renderRun();
    showCount(run.log_entry_count);
    return run;
  }

  const refresh = throttle(() => {
    loadRun().catch((error) => {
      if (!isAbort(error)) message.textContent = describeError(error, 'Refreshing the run');
    });
  }, 1000);

  feed.onEvent((event) => {
    if (event.type === 'LogAppended' && run) {
      run.log_entry_count = Math.max(run.log_entry_count, event.data.last_seq ?? 0);
      showCount(run.log_entry_count);
    }
    refresh();
  });
  feed.onState((state, error) => {
    if (state === 'failed' && error && !(error instanceof SignInCancelled)) message.textContent = describeError(error, 'Following the run');
    if (state === 'reconnecting') liveSlot.replaceChildren(h('span.muted', 'reconnecting…'));
    if (state === 'open' && run?.status === 'running') liveSlot.replaceChildren(h('span.live-dot', { title: 'Updates live from the event stream' }, 'live'));
  });

  const durationTimer = setInterval(() => {
    if (run?.status === 'running') {
      const el = details.querySelector('#run-duration');
      if (el) el.textContent = `${formatDuration(runDuration(run))} (running)`;
    }
  }, 1000);

  function setTab(next) {
    currentTab = next;
    const isTimeline = next === 'timeline';
    const isSearch = next === 'search';
    const isLog = next === 'log';
    overview.hidden = isTimeline || isSearch || isLog;
    timelinePanel.hidden = !isTimeline;
    searchPanel.hidden = !isSearch;
    logPanel.hidden = !isLog;
    const shownTab = isSearch ? searchTab : isTimeline ? timelineTab : isLog ? logTab : overviewTab;
    for (const t of [overviewTab, timelineTab, logTab, searchTab]) {
      if (t === shownTab) t.setAttribute('aria-current', 'page');
      else t.removeAttribute('aria-current');
    }
    const isCompare = next === 'compare';
    comparePanel.hidden = !isCompare;
    if (isCompare) {
      overview.hidden = true;
      for (const t of [overviewTab, timelineTab, searchTab]) t.removeAttribute('aria-current');
      compareTab.setAttribute('aria-current', 'page');
    } else compareTab.removeAttribute('aria-current');
    if (isCompare && run) {
      // The run to compare with comes from the address (#/runs/<id>/compare?with=<id>; none: the last completed one).
      const other = compareWithOf(location.hash);
      if (!compareView) compareView = mountCompare(comparePanel, { runId, withId: other, signal });
      else if (other !== compareWith) compareView.setWith(other);
      compareWith = other;
    }
    if (isSearch && run) {
      // The words come from the address (#/runs/<id>/search?q=...); the bare tab link keeps the last search.
      const params = parseSearchHash(location.hash)?.params ?? {};
      if (!runSearch) runSearch = mountRunSearch(searchPanel, { runId, run, params, signal });
      else if (params.q) runSearch.setParams(params);
      else runSearch.keepAddress();
    }
    if (isLog && run) {
      // The lines come from the address (#/runs/<id>/log?lines=822-830); the bare tab link keeps the page shown.
      const lines = parseLines(location.hash);
      if (!logPage) logPage = mountLogPage(logPanel, { runId, lines, signal });
      else logPage.setLines(lines);
    }
    if (isTimeline && run && !timeline) {
      feed.start();
      timeline = mountTimeline(timelinePanel, { runId, run, feed, signal, onRunChanged: refresh });
    }
  }

  loadRun()
    .then(() => loadCount())
    .then(() => {
      if (run.status === 'running') feed.start(); // follow it live on either tab
      setTab(currentTab);
    })
    .catch((error) => {
      if (isAbort(error)) return;
      overview.hidden = true;
      timelinePanel.hidden = true;
      searchPanel.hidden = true;
      comparePanel.hidden = true;
      logPanel.hidden = true;
      message.textContent = error instanceof ApiError && error.status === 404
        ? `There is no run "${runId}". It may have been typed wrong; go back to all runs.`
        : describeError(error, 'Loading the run');
    });
  setTab(currentTab);

  return {
    runId,
    setTab,
    destroy() {
      controller.abort();
      feed.close();
      timeline?.destroy();
      compareView?.destroy();
      clearInterval(durationTimer);
      clearInterval(countdownTimer);
    },
  };
}
