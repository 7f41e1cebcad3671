// What the search views show, from the search API's answers (docs/api.md, "Search"): the highlighted
// segments of a match, the blocks of lines around the matches of a run, the links to lines, and the
// query strings of both the API and the console's own linkable hash (#/search?q=..., #/runs/<id>/search?q=...).
// Pure: no DOM, no fetch, so it is unit-tested under node (test/console/units/search-model.test.mjs).

export const ACROSS_API = '/api/v1/admin/search';
export const RUN_STATUSES = ['running', 'completed', 'failed', 'partial'];
export const LEVELS = ['info', 'warning', 'error'];
/** The context sizes the console offers (the API takes 0..20). */
export const CONTEXT_CHOICES = [0, 2, 5];
export const DEFAULT_CONTEXT = 2;
export const MAX_QUERY_LENGTH = 200;
const MAX_CONTEXT = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- highlighting ---------------------------------------------------------------------------------

/**
 * The text cut into plain and highlighted segments: [{ text, mark }], in order, together the whole text.
 * Ranges ([start, end), UTF-16 offsets) may arrive in any order, overlap, touch, run past the text or be
 * nonsense (negative, reversed, not numbers): they are clamped, and overlapping or touching ones merged.
 */
export function highlightSegments(text, ranges) {
  const value = String(text ?? '');
  const spans = mergeRanges(ranges, value.length);
  const segments = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) segments.push({ text: value.slice(at, start), mark: false });
    segments.push({ text: value.slice(start, end), mark: true });
    at = end;
  }
  if (at < value.length || segments.length === 0) segments.push({ text: value.slice(at), mark: false });
  return segments;
}

/** Valid, clamped, sorted and merged ranges within [0, length]. */
export function mergeRanges(ranges, length) {
  const clamped = [];
  for (const range of Array.isArray(ranges) ? ranges : []) {
    if (!Array.isArray(range) || range.length < 2) continue;
    const [s, e] = range.map(Number);
    if (!Number.isFinite(s) || !Number.isFinite(e)) continue;
    const start = Math.max(0, Math.min(length, Math.floor(s)));
    const end = Math.max(0, Math.min(length, Math.ceil(e)));
    if (end > start) clamped.push([start, end]);
  }
  clamped.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const [start, end] of clamped) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

// ---- links ------------------------------------------------------------------------------------------

const runBase = (runId) => `#/runs/${encodeURIComponent(runId)}`;

/** The console's address of one line of a run's log, or of a range of lines (from..to, inclusive). */
export function lineLink(runId, from, to = from) {
  const a = Math.min(from, to);
  const b = Math.max(from, to);
  return `${runBase(runId)}/log?lines=${a === b ? a : `${a}-${b}`}`;
}

// ---- a run's matches -------------------------------------------------------------------------------

/**
 * One match of the run search as shown: the hit line (its text without ANSI codes, highlighted), the
 * context entries before and after (messages as stored: the view renders their colour), the link to
 * the line and, when there is context, to the whole range.
 */
export function matchView(runId, match) {
  const entry = match?.entry ?? {};
  const before = (match?.before ?? []).map((e) => contextLine(runId, e));
  const after = (match?.after ?? []).map((e) => contextLine(runId, e));
  const first = before.length ? before[0].seq : entry.seq;
  const last = after.length ? after[after.length - 1].seq : entry.seq;
  return {
    seq: entry.seq,
    timestamp: entry.timestamp ?? null,
    level: entry.level ?? 'info',
    phase: entry.phase ?? null,
    segments: highlightSegments(match?.text ?? entry.message ?? '', match?.ranges),
    link: lineLink(runId, entry.seq),
    before,
    after,
    rangeLink: first !== last ? lineLink(runId, first, last) : null,
  };
}

function contextLine(runId, entry) {
  return {
    seq: entry.seq,
    timestamp: entry.timestamp ?? null,
    level: entry.level ?? 'info',
    phase: entry.phase ?? null,
    message: String(entry.message ?? ''),
    link: lineLink(runId, entry.seq),
  };
}

/**
 * The matches of a run (every page loaded so far, in seq order) as blocks of consecutive lines, as grep
 * shows them: matches whose context overlaps or touches share one block; a line is shown once, and a
 * line that is itself a match is shown as a match. Each block: { from, to, link, lines: [{ kind: 'match' |
 * 'context', ...line }] }.
 */
export function matchBlocks(runId, matches) {
  const blocks = [];
  for (const match of matches ?? []) {
    const view = matchView(runId, match);
    const lines = [
      ...view.before.map((l) => ({ kind: 'context', ...l })),
      { kind: 'match', seq: view.seq, timestamp: view.timestamp, level: view.level, phase: view.phase, segments: view.segments, link: view.link },
      ...view.after.map((l) => ({ kind: 'context', ...l })),
    ];
    const last = blocks[blocks.length - 1];
    if (last && lines[0].seq <= last.to + 1) mergeInto(last, lines);
    else blocks.push({ from: lines[0].seq, to: lines[lines.length - 1].seq, lines });
  }
  for (const block of blocks) block.link = lineLink(runId, block.from, block.to);
  return blocks;
}

function mergeInto(block, lines) {
  const bySeq = new Map(block.lines.map((l) => [l.seq, l]));
  for (const line of lines) {
    const known = bySeq.get(line.seq);
    if (!known || (line.kind === 'match' && known.kind !== 'match')) bySeq.set(line.seq, line);
  }
  block.lines = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  block.from = block.lines[0].seq;
  block.to = block.lines[block.lines.length - 1].seq;
}

// ---- runs that match --------------------------------------------------------------------------------

/** One run of the search across runs: the run, its match count, its first matches highlighted and linked. */
export function runResultView(result, params = {}) {
  const run = result?.run ?? {};
  const id = run.batch_run_id;
  const firstMatches = (result?.first_matches ?? []).map((m) => ({
    seq: m.seq,
    timestamp: m.timestamp ?? null,
    level: m.level ?? 'info',
    phase: m.phase ?? null,
    segments: highlightSegments(m.text, m.ranges),
    link: lineLink(id, m.seq),
  }));
  const matchCount = Number(result?.match_count ?? firstMatches.length);
  return {
    run,
    matchCount,
    firstMatches,
    moreMatches: Math.max(0, matchCount - firstMatches.length),
    runLink: runBase(id),
    // Every match of this run, with context: the run's own search, same words, same level and phase.
    runSearchLink: runSearchHash(id, { q: params.q, regex: params.regex, level: params.level, phase: params.phase }),
  };
}

/** A further page appended: runs already shown (by id) are not repeated. */
export function appendRuns(shown, page) {
  const seen = new Set(shown.map((r) => r.run?.batch_run_id));
  return [...shown, ...(page ?? []).filter((r) => !seen.has(r.run?.batch_run_id))];
}

// ---- parameters: the API's query and the console's hash ---------------------------------------------

/**
 * The search's parameters, normalised: { q, regex, level, phase, context, status, portfolio_id, since,
 * until }. Unknown statuses and levels are dropped, context is clamped to 0..20 (default 2).
 */
export function normaliseParams(raw = {}) {
  const text = (v) => (v === undefined || v === null ? '' : String(v).trim());
  const context = Number.parseInt(text(raw.context), 10);
  return {
    q: raw.q === undefined || raw.q === null ? '' : String(raw.q),
    regex: raw.regex === true || raw.regex === 'true' || raw.regex === '1',
    level: LEVELS.includes(text(raw.level)) ? text(raw.level) : '',
    phase: text(raw.phase),
    context: Number.isFinite(context) ? Math.max(0, Math.min(MAX_CONTEXT, context)) : DEFAULT_CONTEXT,
    status: RUN_STATUSES.includes(text(raw.status)) ? text(raw.status) : '',
    portfolio_id: text(raw.portfolio_id),
    since: text(raw.since),
    until: text(raw.until),
  };
}

const ACROSS_KEYS = ['q', 'regex', 'status', 'portfolio_id', 'phase', 'level', 'since', 'until'];
const RUN_KEYS = ['q', 'regex', 'level', 'phase', 'context'];

function queryOf(params, keys, { withDefaults, extra = {} }) {
  const p = normaliseParams(params);
  const query = new URLSearchParams();
  for (const key of keys) {
    const value = p[key];
    if (key === 'regex') {
      if (value) query.set('regex', 'true');
    } else if (key === 'context') {
      if (withDefaults || value !== DEFAULT_CONTEXT) query.set('context', String(value));
    } else if (value !== '') {
      query.set(key, value);
    }
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  return query.toString();
}

/** GET /api/v1/admin/search?... (cursor: the previous page's next_cursor). */
export function acrossApiPath(params, { cursor = null, limit = null } = {}) {
  return `${ACROSS_API}?${queryOf(params, ACROSS_KEYS, { withDefaults: true, extra: { limit, cursor } })}`;
}

/** The run search's path under the run's own path (api.js runPath(id)). */
export function runSearchApiSuffix(params, { cursor = null, limit = null } = {}) {
  return `/logs/search?${queryOf(params, RUN_KEYS, { withDefaults: true, extra: { limit, cursor } })}`;
}

/** The console's address of a search across runs (what the address bar holds: linkable). */
export function searchHash(params) {
  const query = queryOf(params, ACROSS_KEYS, { withDefaults: false });
  return `#/search${query ? `?${query}` : ''}`;
}

/** The console's address of a search inside one run. */
export function runSearchHash(runId, params) {
  const query = queryOf(params, RUN_KEYS, { withDefaults: false });
  return `${runBase(runId)}/search${query ? `?${query}` : ''}`;
}

/**
 * A console hash back to its search: { kind: 'across', params } for #/search?..., { kind: 'run', runId,
 * params } for #/runs/<id>/search?..., null for any other address.
 */
export function parseSearchHash(hash) {
  const value = String(hash ?? '').replace(/^#/, '');
  const cut = value.indexOf('?');
  const path = cut < 0 ? value : value.slice(0, cut);
  const query = new URLSearchParams(cut < 0 ? '' : value.slice(cut + 1));
  const raw = Object.fromEntries(query.entries());
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'search') return { kind: 'across', params: normaliseParams(raw) };
  if (parts.length === 3 && parts[0] === 'runs' && parts[2] === 'search') {
    let runId = parts[1];
    try {
      runId = decodeURIComponent(runId);
    } catch {
      // keep it as typed
    }
    return { kind: 'run', runId, params: normaliseParams(raw) };
  }
  return null;
}

/**
 * What is wrong with the parameters before asking the server, as { field, message }, or null. The server
 * judges again (and alone judges a regular expression).
 */
export function checkParams(params, kind = 'across') {
  const p = normaliseParams(params);
  if (p.q.trim() === '') return { field: 'q', message: 'Type the words to search for.' };
  if (p.q.length > MAX_QUERY_LENGTH) return { field: 'q', message: `The search is ${p.q.length} characters long: at most ${MAX_QUERY_LENGTH}.` };
  if (kind === 'across') {
    if (p.portfolio_id && !UUID.test(p.portfolio_id)) return { field: 'portfolio_id', message: 'Portfolio must be a UUID, like 6f1c2a9e-4b7d-4c1e-9a51-3d2f8e7b0c11.' };
    for (const key of ['since', 'until']) {
      if (p[key] && Number.isNaN(Date.parse(p[key]))) return { field: key, message: `"${key}" is not a date and time.` };
    }
    if (p.since && p.until && Date.parse(p.since) > Date.parse(p.until)) return { field: 'until', message: '"Until" is before "since".' };
  }
  return null;
}

/**
 * The sentence to show beside the search box for a refused search (the API's error: status, code,
 * message), or null when it is no refusal of the search itself (the view says those its usual way).
 */
export function searchErrorMessage({ status, code, message } = {}) {
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? '');
  if (code === 'search_too_broad') {
    return 'This search is too broad: it ran out of time. Narrow it with a level, a phase, a status, a portfolio or a time range (since/until), or search for longer words.';
  }
  if (code === 'invalid_regex') return `Not a valid regular expression${detail ? `: ${detail}` : '.'}`;
  if (status === 400) return detail || 'The search was refused.';
  return null;
}

// ---- times: the form's local datetime input and the API's ISO timestamps ----------------------------

/** "2026-01-11T14:07" (a datetime-local input, the viewer's time zone) -> ISO UTC, or '' when empty/invalid. */
export function localInputToIso(value) {
  if (!value) return '';
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** ISO -> the datetime-local input's value in the viewer's time zone, or '' when empty/invalid. */
export function isoToLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
