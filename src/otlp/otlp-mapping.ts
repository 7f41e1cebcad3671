/** One decoded OTLP record into what runlog stores and does (docs/api.md, "OpenTelemetry logs"): a pure function. */
import type { NewLogEntry } from '../batch-runs/domain/run.commands';
import { FINISH_STATUSES, FinishStatus, LogLevel, PHASE_STATUSES, PhaseStatus } from '../batch-runs/domain/run.types';
import {
  MAX_COUNT,
  MAX_ENTRY_UID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PHASE_LENGTH,
  NEW_BATCH_RUN_ID_PATTERN,
  SPAN_ID_PATTERN,
  TRACE_ID_PATTERN,
} from '../batch-runs/domain/run.limits';
import type { OtlpRecord, OtlpValue } from './otlp-decoder';

export interface MappedRecord {
  batchRunId: string;
  portfolioId: string | null;
  ownerId: string | null;
  /** Checked here against every rule the decider applies to an entry, so one bad record never fails the others. */
  entry: NewLogEntry & { level: LogLevel; timestamp: string };
  /** The record's time in ms, for the finish grace rule. */
  timeMs: number;
  phaseCompletion: { phase: string; status: PhaseStatus; completedJobs?: number; failedJobs?: number } | null;
  finish: { status: FinishStatus } | null;
}

export type MappingResult = { ok: true; record: MappedRecord } | { ok: false; error: string };

const str = (v: OtlpValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function levelOf(severityNumber: number | null, severityText: string | null): LogLevel {
  if (severityNumber !== null && severityNumber >= 1 && severityNumber <= 24) {
    return severityNumber >= 17 ? 'error' : severityNumber >= 13 ? 'warning' : 'info';
  }
  const text = (severityText ?? '').toUpperCase();
  if (/^(ERROR|FATAL|CRITICAL|SEVERE|EMERG|ALERT|CRIT)/.test(text)) return 'error';
  if (/^WARN/.test(text)) return 'warning';
  return 'info';
}

function count(v: OtlpValue | undefined, name: string): number | undefined | string {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) return `${name} must be an integer from 0 to ${MAX_COUNT}`;
  return n;
}

export function mapRecord(r: OtlpRecord, receivedAtMs: number): MappingResult {
  const batchRunId = str(r.resource['runlog.batch_run_id']);
  if (batchRunId === null) return { ok: false, error: 'the resource attribute runlog.batch_run_id is missing' };
  if (!NEW_BATCH_RUN_ID_PATTERN.test(batchRunId)) return { ok: false, error: `runlog.batch_run_id must match ${NEW_BATCH_RUN_ID_PATTERN.source}` };

  const message = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  if (message.length === 0) return { ok: false, error: 'the record has no body (the entry message)' };
  if (message.length > MAX_MESSAGE_LENGTH) return { ok: false, error: `the body is over ${MAX_MESSAGE_LENGTH} characters` };
  if (message.includes('\u0000')) return { ok: false, error: 'the body contains NUL' };

  const nanos = r.timeUnixNano ?? r.observedTimeUnixNano;
  const timeMs = nanos === null ? receivedAtMs : Number(BigInt(nanos) / 1_000_000n);
  const date = new Date(timeMs);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) return { ok: false, error: 'the record time is out of range' };

  const phase = str(r.attributes['runlog.phase']) ?? str(r.resource['runlog.phase']);
  if (phase !== null && (phase.length > MAX_PHASE_LENGTH || phase.trim() === '' || phase.includes('\u0000'))) {
    return { ok: false, error: `runlog.phase must be 1 to ${MAX_PHASE_LENGTH} characters, not blank, without NUL` };
  }
  const uid = r.attributes['log.record.uid'];
  if (uid !== undefined && (typeof uid !== 'string' || uid.trim() === '' || uid.length > MAX_ENTRY_UID_LENGTH || uid.includes('\u0000'))) {
    return { ok: false, error: `log.record.uid must be a string of 1 to ${MAX_ENTRY_UID_LENGTH} characters` };
  }
  if (r.traceId !== null && !TRACE_ID_PATTERN.test(r.traceId)) return { ok: false, error: 'traceId must be 16 bytes' };
  if (r.spanId !== null && !SPAN_ID_PATTERN.test(r.spanId)) return { ok: false, error: 'spanId must be 8 bytes' };

  let phaseCompletion: MappedRecord['phaseCompletion'] = null;
  const phaseStatus = r.attributes['runlog.phase.status'];
  if (phaseStatus !== undefined) {
    if (!(PHASE_STATUSES as readonly unknown[]).includes(phaseStatus)) return { ok: false, error: `runlog.phase.status must be one of ${PHASE_STATUSES.join(', ')}` };
    if (phase === null) return { ok: false, error: 'runlog.phase.status needs runlog.phase' };
    const completedJobs = count(r.attributes['runlog.phase.completed_jobs'], 'runlog.phase.completed_jobs');
    const failedJobs = count(r.attributes['runlog.phase.failed_jobs'], 'runlog.phase.failed_jobs');
    if (typeof completedJobs === 'string') return { ok: false, error: completedJobs };
    if (typeof failedJobs === 'string') return { ok: false, error: failedJobs };
    phaseCompletion = { phase, status: phaseStatus as PhaseStatus, completedJobs, failedJobs };
  }

  let finish: MappedRecord['finish'] = null;
  const runStatus = r.attributes['runlog.run.status'];
  if (runStatus !== undefined) {
    if (!(FINISH_STATUSES as readonly unknown[]).includes(runStatus)) return { ok: false, error: `runlog.run.status must be one of ${FINISH_STATUSES.join(', ')}` };
    finish = { status: runStatus as FinishStatus };
  }

  return {
    ok: true,
    record: {
      batchRunId,
      portfolioId: str(r.resource['runlog.portfolio_id']),
      ownerId: str(r.resource['runlog.owner_id']),
      entry: {
        level: levelOf(r.severityNumber, r.severityText),
        message,
        timestamp: date.toISOString(),
        phase,
        uid: uid ?? null,
        traceId: r.traceId,
        spanId: r.spanId,
      },
      timeMs,
      phaseCompletion,
      finish,
    },
  };
}
