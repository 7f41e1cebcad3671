/**
 * The rules of a batch run, in one pure function: given a command, the run's current state and the
 * time, which events happen (possibly none: an idempotent retry), or which rule is broken.
 */
import { AppendInput, CompletePhaseInput, FinishRunInput, InterruptRunInput, NewLogEntry, RunCommand, StartRunInput } from './run.commands';
import { invalid, runAlreadyExists, runFinished, runNotFound, RunRuleError, seqGap } from './run.errors';
import { RunEvent, StoredLogEntry } from './run.events';
import { isFinished, RunState } from './run.state';
import { DEFAULT_POLICY, RunPolicy } from './run.policy';
import { isLogLevel } from './run.types';

import {
  MAX_COUNT,
  MAX_ENTRY_UID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_OWNER_LENGTH,
  MAX_PHASE_LENGTH,
  NEW_BATCH_RUN_ID_PATTERN,
  NEW_BATCH_RUN_ID_RULE,
  SPAN_ID_PATTERN,
  TRACE_ID_PATTERN,
} from './run.limits';

// The limits live in run.limits.ts (shared with the DTOs and the OpenAPI document); re-exported for existing importers.
export { BATCH_RUN_ID_PATTERN, MAX_COUNT, MAX_MESSAGE_LENGTH, MAX_OWNER_LENGTH, MAX_PHASE_LENGTH, NEW_BATCH_RUN_ID_PATTERN, NEW_BATCH_RUN_ID_RULE } from './run.limits';
/**
 * A date-time given as text names its offset (Z or ±hh:mm): without one, Date reads
 * "2026-01-11T14:07:11" in the server's own time zone, so the same line would mean another moment on
 * another server. A date alone ("2026-01-11") is no moment either.
 */
export const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
export const DATE_TIME_WITH_OFFSET_RULE = 'must be a date-time with an offset (Z or ±hh:mm), e.g. 2026-01-11T14:07:11.123Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NO_UIDS: ReadonlySet<string> = new Set();

/**
 * storedUids: which of the append's entry uids the run already holds (read under the run's lock by the
 * writer, which adds the uids of the commands it decided before this one): those entries are retries.
 */
export function decide(
  command: RunCommand,
  state: RunState,
  now: Date,
  policy: RunPolicy = DEFAULT_POLICY,
  storedUids: ReadonlySet<string> = NO_UIDS,
): RunEvent[] {
  switch (command.kind) {
    case 'start':
      return decideStart(command.input, state, now);
    case 'append':
      return decideAppend(command.input, state, now, policy, storedUids);
    case 'completePhase':
      return decideCompletePhase(command.input, state, now);
    case 'finish':
      return decideFinish(command.input, state, now);
    case 'interrupt':
      return decideInterrupt(command.input, state, now, policy);
  }
}

function decideStart(input: StartRunInput, state: RunState, now: Date): RunEvent[] {
  if (!NEW_BATCH_RUN_ID_PATTERN.test(input.batchRunId)) throw invalid('batch_run_id', NEW_BATCH_RUN_ID_RULE);
  if (state.exists) throw runAlreadyExists(input.batchRunId);
  const phases = (input.phases ?? []).map((name, i) => checkPhaseName(name, `phases[${i}]`));
  if (new Set(phases).size !== phases.length) throw invalid('phases', 'phase names must be unique');
  const portfolioId = input.portfolioId ?? null;
  if (portfolioId !== null && (typeof portfolioId !== 'string' || !UUID.test(portfolioId))) throw invalid('portfolio_id', 'must be a UUID');
  const ownerId = input.ownerId === undefined || input.ownerId === null ? null : checkText(input.ownerId, 'owner_id', MAX_OWNER_LENGTH);
  const onboarding = input.onboarding === true;
  if (onboarding && portfolioId === null) throw invalid('portfolio_id', 'an onboarding run needs a portfolio');
  return [
    {
      type: 'BatchRunStarted',
      data: {
        batchRunId: input.batchRunId,
        portfolioId: portfolioId?.toLowerCase() ?? null,
        ownerId,
        totalJobs: checkCount(input.totalJobs, 'total_jobs') ?? 0,
        phases,
        startedAt: checkTimestamp(input.startedAt, 'started_at') ?? now.toISOString(),
        ...(onboarding ? { onboarding: true as const } : {}),
      },
    },
  ];
}

function decideAppend(input: AppendInput, state: RunState, now: Date, policy: RunPolicy, storedUids: ReadonlySet<string>): RunEvent[] {
  requireOpenRun(state, input.batchRunId);
  if (!Array.isArray(input.entries) || input.entries.length === 0) {
    throw invalid('entries', 'must hold at least one entry');
  }
  // Validate everything before assigning anything: a command is accepted whole or not at all.
  const check = entryChecker(now);
  const checked = input.entries.map(check);
  const fresh = checked.filter((entry) => entry.seq === undefined || entry.seq > state.lastSeq).filter(notStoredBy(storedUids)); // retried ones are stored already
  if (fresh.length === 0) return [];
  if (state.logCutAt !== null) return [dropped(fresh.length, state.logCutAt)];

  // Past the cap, the last slot holds a warning that says where the log was cut; the rest is counted.
  const room = policy.maxEntriesPerRun - state.lastSeq;
  const cut = fresh.length >= room;
  const kept = cut ? fresh.slice(0, Math.max(0, room - 1)) : fresh;
  const entries: StoredLogEntry[] = [];
  let lastSeq = state.lastSeq;
  for (const entry of kept) {
    if (entry.seq !== undefined && entry.seq !== lastSeq + 1) throw seqGap(lastSeq + 1, entry.seq);
    lastSeq += 1;
    entries.push(storedEntry(entry, lastSeq, state, policy));
  }
  if (!cut) return [logAppended(entries)];
  lastSeq += 1;
  entries.push({
    seq: lastSeq,
    timestamp: now.toISOString(),
    level: 'warning',
    phase: state.currentPhase,
    message: `log cut at ${policy.maxEntriesPerRun} entries (MAX_ENTRIES_PER_RUN): later entries are not stored, only counted in dropped_entries`,
  });
  return [logAppended(entries), dropped(fresh.length - kept.length, lastSeq)];
}

/** Entries whose uid the run holds, or an earlier entry of this command carries, are retries: not stored again. */
function notStoredBy(storedUids: ReadonlySet<string>): (entry: CheckedEntry) => boolean {
  const seen = new Set<string>();
  return (entry) => {
    if (entry.uid === undefined) return true;
    if (storedUids.has(entry.uid) || seen.has(entry.uid)) return false;
    seen.add(entry.uid);
    return true;
  };
}

function storedEntry(entry: CheckedEntry, seq: number, state: RunState, policy: RunPolicy): StoredLogEntry {
  const phase = entry.phase ?? state.currentPhase;
  const stored: StoredLogEntry = { seq, timestamp: entry.timestamp, level: entry.level, phase, message: policy.redact(entry.message) };
  if (entry.traceId !== undefined) stored.traceId = entry.traceId;
  if (entry.spanId !== undefined) stored.spanId = entry.spanId;
  if (entry.uid !== undefined) stored.uid = entry.uid;
  return stored;
}

function logAppended(entries: StoredLogEntry[]): RunEvent {
  return { type: 'LogAppended', data: { firstSeq: entries[0].seq, lastSeq: entries[entries.length - 1].seq, entries } };
}

function dropped(count: number, cutAtSeq: number): RunEvent {
  return { type: 'LogEntriesDropped', data: { count, cutAtSeq } };
}

/** runlog finishes a silent run itself: an error entry that says why, then failed. */
function decideInterrupt(input: InterruptRunInput, state: RunState, now: Date, policy: RunPolicy): RunEvent[] {
  if (!state.exists) throw runNotFound(input.batchRunId);
  if (isFinished(state)) return []; // finished meanwhile (by its writer or another instance): nothing to do
  const events: RunEvent[] = [];
  let lastSeq = state.lastSeq;
  if (state.logCutAt === null) {
    lastSeq += 1;
    events.push(logAppended([{ seq: lastSeq, timestamp: now.toISOString(), level: 'error', phase: state.currentPhase, message: policy.redact(input.reason) }]));
  }
  events.push({
    type: 'BatchRunFinished',
    data: { status: 'failed', completedJobs: state.completedJobs, failedJobs: state.failedJobs, completedAt: now.toISOString(), lastSeq, reason: input.reason },
  });
  return events;
}

function decideCompletePhase(input: CompletePhaseInput, state: RunState, now: Date): RunEvent[] {
  requireOpenRun(state, input.batchRunId);
  const phase = checkPhaseName(input.phase, 'phase');
  const status = input.status ?? 'completed';
  if (status !== 'completed' && status !== 'failed') throw invalid('status', 'must be completed or failed');
  const done = state.phases.find((p) => p.name === phase && (p.status === 'completed' || p.status === 'failed'));
  if (done) {
    if (done.status === status) return []; // a retried completion changes nothing
    throw new RunRuleError('conflict', 'phase_completed', `phase ${JSON.stringify(phase)} is already ${done.status}`);
  }
  const completedJobs = checkCount(input.completedJobs, 'completed_jobs') ?? 0;
  const failedJobs = checkCount(input.failedJobs, 'failed_jobs') ?? 0;
  if (state.completedJobs + completedJobs > MAX_COUNT) throw invalid('completed_jobs', `the run's total would exceed ${MAX_COUNT}`);
  if (state.failedJobs + failedJobs > MAX_COUNT) throw invalid('failed_jobs', `the run's total would exceed ${MAX_COUNT}`);
  return [
    {
      type: 'PhaseCompleted',
      data: {
        phase,
        status,
        completedJobs,
        failedJobs,
        completedAt: now.toISOString(),
        lastSeq: state.lastSeq,
      },
    },
  ];
}

function decideFinish(input: FinishRunInput, state: RunState, now: Date): RunEvent[] {
  if (!state.exists) throw runNotFound(input.batchRunId);
  if (!['completed', 'failed', 'partial'].includes(input.status)) {
    throw invalid('status', 'must be completed, failed or partial');
  }
  if (isFinished(state)) {
    if (state.status === input.status) return [];
    throw runFinished(input.batchRunId, state.status);
  }
  return [
    {
      type: 'BatchRunFinished',
      data: {
        status: input.status,
        completedJobs: checkCount(input.completedJobs, 'completed_jobs') ?? state.completedJobs,
        failedJobs: checkCount(input.failedJobs, 'failed_jobs') ?? state.failedJobs,
        completedAt: now.toISOString(),
        lastSeq: state.lastSeq,
      },
    },
  ];
}

function requireOpenRun(state: RunState, batchRunId: string): void {
  if (!state.exists) throw runNotFound(batchRunId);
  if (isFinished(state)) throw runFinished(batchRunId, state.status);
}

interface CheckedEntry {
  seq?: number;
  timestamp: string;
  level: StoredLogEntry['level'];
  phase?: string | null;
  message: string;
  uid?: string;
  traceId?: string;
  spanId?: string;
}

/**
 * Checks the entries of one command: what they usually share is worked out once (the time of an entry
 * without one, the phase name most carry); each entry is still checked whole.
 */
function entryChecker(now: Date): (entry: NewLogEntry, i: number) => CheckedEntry {
  const nowIso = now.toISOString();
  let lastPhase: unknown;
  let lastPhaseChecked: string | undefined;
  const phaseOf = (name: unknown, field: string): string => {
    if (lastPhaseChecked === undefined || name !== lastPhase) {
      lastPhaseChecked = checkPhaseName(name, field);
      lastPhase = name;
    }
    return lastPhaseChecked;
  };
  return (entry, i) => checkEntry(entry, i, nowIso, phaseOf);
}

function checkEntry(entry: NewLogEntry, i: number, nowIso: string, phaseOf: (name: unknown, field: string) => string): CheckedEntry {
  const field = (name: string) => `entries[${i}].${name}`;
  if (entry === null || typeof entry !== 'object') throw invalid(`entries[${i}]`, 'must be an object');
  if (!isLogLevel(entry.level)) throw invalid(field('level'), 'must be one of info, warning, error');
  if (typeof entry.message !== 'string' || entry.message.length === 0) {
    throw invalid(field('message'), 'must be a non-empty string');
  }
  if (entry.message.length > MAX_MESSAGE_LENGTH) {
    throw invalid(field('message'), `must be at most ${MAX_MESSAGE_LENGTH} characters`);
  }
  if (entry.message.includes('\u0000')) {
    // PostgreSQL text and jsonb cannot hold NUL; rejecting is honest, rewriting it would not be.
    throw invalid(field('message'), 'must not contain NUL (\\u0000) characters');
  }
  // null is "not given", for every optional field alike (JSON producers send null for an absent value).
  const phase = entry.phase === undefined || entry.phase === null ? entry.phase : phaseOf(entry.phase, field('phase'));
  const seq = entry.seq ?? undefined;
  if (seq !== undefined && (!Number.isSafeInteger(seq) || seq < 1)) {
    throw invalid(field('seq'), 'must be a positive integer');
  }
  return {
    seq,
    uid: entry.uid === undefined || entry.uid === null ? undefined : checkText(entry.uid, field('uid'), MAX_ENTRY_UID_LENGTH),
    traceId: checkHex(entry.traceId, TRACE_ID_PATTERN, field('trace_id'), '32'),
    spanId: checkHex(entry.spanId, SPAN_ID_PATTERN, field('span_id'), '16'),
    level: entry.level,
    phase,
    // A lone surrogate cannot be stored as UTF-8; it becomes U+FFFD in the event, the entry and every download alike.
    message: entry.message.toWellFormed(),
    timestamp: checkTimestamp(entry.timestamp, field('timestamp')) ?? nowIso,
  };
}

function checkTimestamp(value: string | Date | null | undefined, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && !DATE_TIME_WITH_OFFSET.test(value)) throw invalid(field, DATE_TIME_WITH_OFFSET_RULE);
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw invalid(field, 'must be an ISO 8601 date-time');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalid(field, 'must lie between years 0001 and 9999 (UTC)');
  return date.toISOString();
}

/** Names and ids are text PostgreSQL must hold: no NUL, well-formed (lone surrogates become U+FFFD). */
function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    throw invalid(field, `must be a non-empty string of at most ${max} characters`);
  }
  if (value.includes('\u0000')) throw invalid(field, 'must not contain NUL (\\u0000) characters');
  return value.toWellFormed();
}

function checkHex(value: string | null | undefined, pattern: RegExp, field: string, digits: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw invalid(field, `must be ${digits} lower-case hex digits`);
  return value;
}

function checkPhaseName(name: unknown, field: string): string {
  return checkText(name, field, MAX_PHASE_LENGTH);
}

function checkCount(value: number | undefined, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_COUNT) throw invalid(field, `must be an integer from 0 to ${MAX_COUNT}`);
  return value;
}
