// The Compare tab's pure part (no DOM, no fetch), so node can import it and its unit tests run without a
// browser: the addresses (#/runs/<id>/compare[?with=<id>], each differing line's #/runs/<id>/log?lines=<seq>),
// the API query, and the rows to render from the API's answer (GET .../compare, docs/api.md "Compare
// two runs"): the phases side by side with what changed, the lines only in one run or the other.

import { formatDuration, formatNumber } from './dom.js';

/** `with=` this word: the newest completed run of the same portfolio (else batch name). */
export const LAST_COMPLETED = 'last_completed';
/** Lines each list asks for: the API's default. */
export const COMPARE_LIMIT = 200;

const runBase = (runId) => `#/runs/${encodeURIComponent(runId)}`;

/** The console's address of a comparison: with the last completed run unless another run is named. */
export function compareHref(runId, withId = LAST_COMPLETED) {
  return withId === LAST_COMPLETED ? `${runBase(runId)}/compare` : `${runBase(runId)}/compare?with=${encodeURIComponent(withId)}`;
}

/** The run a comparison address names to compare with (#/runs/<id>/compare?with=<id>), LAST_COMPLETED when none. */
export function compareWithOf(hash) {
  const query = String(hash ?? '').split('?')[1] ?? '';
  const value = new URLSearchParams(query).get('with');
  return value && value.trim() ? value.trim() : LAST_COMPLETED;
}

/** The API route's suffix after the run's path: /compare?with=...&limit=... */
export function compareQuery(withId, limit = COMPARE_LIMIT) {
  return `/compare?${new URLSearchParams({ with: withId, limit: String(limit) })}`;
}

/** The console's address of one line of a run's log. */
export function lineHref(runId, seq) {
  return `${runBase(runId)}/log?lines=${seq}`;
}

/** +1.2 s, −850 ms, ±0 ms; null when either side is unknown. */
export function formatDelta(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return null;
  if (ms === 0) return '±0 ms';
  return `${ms > 0 ? '+' : '−'}${formatDuration(Math.abs(ms))}`;
}

/** +12, −3, ±0; null when either side is unknown. */
export function formatCountDelta(n) {
  if (n === null || n === undefined) return null;
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : '−'}${formatNumber(Math.abs(n))}`;
}

/**
 * One row per phase: both sides (null where that run has no such phase) and what changed from the
 * other run to this one: the status, the duration (positive: this run took longer), the entry count.
 */
export function phaseRows(phases) {
  return (phases ?? []).map((p) => {
    const both = p.run && p.other;
    const durationDelta = both && p.run.duration_ms !== null && p.other.duration_ms !== null ? p.run.duration_ms - p.other.duration_ms : null;
    const entryDelta = both ? p.run.entry_count - p.other.entry_count : null;
    return {
      name: p.name,
      run: p.run,
      other: p.other,
      presence: both ? 'both' : p.run ? 'run' : 'other',
      statusChanged: !both || p.run.status !== p.other.status,
      durationDelta,
      durationDeltaText: formatDelta(durationDelta),
      entryDelta,
      entryDeltaText: formatCountDelta(entryDelta),
    };
  });
}

/** A differing line with its link to its line in its run's log. */
export function differingLines(lines, runId) {
  return (lines ?? []).map((line) => ({ ...line, href: lineHref(runId, line.seq) }));
}

const RULE_NAMES = {
  ansi: 'ANSI codes',
  uuid: 'UUIDs',
  timestamp: 'timestamps',
  hex_id: 'hex ids',
  number: 'numbers',
  whitespace: 'whitespace',
};

/** What the comparison left out, in words: "ANSI codes, UUIDs, timestamps, hex ids, numbers and whitespace". */
export function describeNormalisation(rules) {
  const names = (rules ?? []).map((r) => RULE_NAMES[r] ?? r);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Everything the view renders, from the API's answer. */
export function compareModel(answer) {
  const runId = answer.run.batch_run_id;
  const otherId = answer.other.batch_run_id;
  const onlyInRun = differingLines(answer.only_in_run, runId);
  const onlyInOther = differingLines(answer.only_in_other, otherId);
  const more = answer.truncated ? ' or more' : '';
  return {
    run: { ...answer.run, href: runBase(runId) },
    other: { ...answer.other, href: runBase(otherId) },
    phases: phaseRows(answer.phases),
    onlyInRun,
    onlyInOther,
    truncated: answer.truncated === true,
    identical: onlyInRun.length === 0 && onlyInOther.length === 0 && !answer.truncated,
    normalisation: describeNormalisation(answer.normalisation),
    summary: onlyInRun.length === 0 && onlyInOther.length === 0 && !answer.truncated
      ? 'The two logs have the same lines.'
      : `${formatNumber(onlyInRun.length)}${more} ${onlyInRun.length === 1 && !more ? 'line' : 'lines'} only in this run, ${formatNumber(onlyInOther.length)}${more} only in ${otherId}.`,
  };
}
