// The Log tab's pure part (no DOM, no fetch): the lines a link names (#/runs/<id>/log?lines=822 or
// ?lines=822-830), the page of the API's log to load around them, the pages before and after what is
// loaded, the "entries a–b of T" line, and the range a shift-click selects. Unit-tested under node.

/** Entries loaded around the linked lines, on each side (the API allows at most 1,000). */
export const CONTEXT = 50;
/** Entries one "load earlier" / "load later" adds, and the first page of a log opened without a link. */
export const PAGE = 200;
export const MAX_CONTEXT = 1000;
const MAX_SEQ = 2_147_483_647;

/** The lines of a log address's ?lines=a or ?lines=a-b (any order), or null when it names none. */
export function parseLines(hash) {
  const query = String(hash ?? '').split('?')[1] ?? '';
  const value = new URLSearchParams(query).get('lines');
  const match = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(value ?? '');
  if (!match) return null;
  const a = Number(match[1]);
  const b = match[2] === undefined ? a : Number(match[2]);
  if (a < 1 || b < 1 || a > MAX_SEQ || b > MAX_SEQ) return null;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/** The ?lines= value for a line or a range. */
export function linesValue({ from, to }) {
  return from === to ? String(from) : `${from}-${to}`;
}

/**
 * The API's window for the lines: around_seq and context such that [around - context, around + context]
 * holds them with CONTEXT entries either side (a range wider than the API allows starts at its first line).
 */
export function aroundWindow({ from, to }) {
  const half = Math.ceil((to - from) / 2);
  if (half + CONTEXT > MAX_CONTEXT) return { around_seq: from + MAX_CONTEXT - CONTEXT, context: MAX_CONTEXT };
  return { around_seq: from + half, context: half + CONTEXT };
}

/** The query string of the page of the log around the lines. */
export function aroundQuery(lines) {
  const { around_seq, context } = aroundWindow(lines);
  return `format=json&around_seq=${around_seq}&context=${context}`;
}

/** The query string of the page before seq `first` (null: nothing before it). */
export function earlierQuery(first, size = PAGE) {
  if (first === null || first <= 1) return null;
  const after = Math.max(0, first - 1 - size);
  return `format=json&after_seq=${after}&limit=${first - 1 - after}`;
}

/** The query string of the page after the loaded entries (nextAfterSeq from the last answer; null: none follow). */
export function laterQuery(nextAfterSeq, size = PAGE) {
  return nextAfterSeq === null || nextAfterSeq === undefined ? null : `format=json&after_seq=${nextAfterSeq}&limit=${size}`;
}

/** The first page of a log opened without lines. */
export function firstQuery(size = PAGE) {
  return `format=json&after_seq=0&limit=${size}`;
}

/**
 * The loaded entries with a new page's merged in, in seq order, each seq once; and what the pages
 * together say: { entries, first, last, total, dropped, nextAfterSeq }. `later` says the page came
 * after the loaded ones (its next_after_seq is then the one that continues).
 */
export function mergePage(state, answer, { later = true } = {}) {
  const bySeq = new Map((state?.entries ?? []).map((e) => [e.seq, e]));
  for (const e of answer.entries ?? []) bySeq.set(e.seq, e);
  const entries = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const keepsNext = state && !later;
  return {
    entries,
    first: entries[0]?.seq ?? null,
    last: entries[entries.length - 1]?.seq ?? null,
    total: answer.total_entries ?? state?.total ?? entries.length,
    dropped: answer.dropped_entries ?? state?.dropped ?? 0,
    nextAfterSeq: keepsNext ? state.nextAfterSeq : answer.next_after_seq ?? null,
  };
}

/** "entries 822–830 of 3,000" for what is loaded. */
export function rangeText({ first, last, total }) {
  if (first === null) return `no entries of ${formatCount(total)}`;
  return `entries ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`;
}

/** The range a shift-click on seq selects, from the line selected before (the anchor). */
export function extendSelection(anchor, seq) {
  if (anchor === null || anchor === undefined) return { from: seq, to: seq };
  return { from: Math.min(anchor, seq), to: Math.max(anchor, seq) };
}

export function isSelected(lines, seq) {
  return lines !== null && seq >= lines.from && seq <= lines.to;
}

/** Whether the loaded entries cover every line of the range. */
export function covers(state, lines) {
  return state !== null && state.first !== null && lines.from >= state.first && lines.to <= state.last;
}

const numberFormat = new Intl.NumberFormat('en-US');
const formatCount = (n) => numberFormat.format(n);
