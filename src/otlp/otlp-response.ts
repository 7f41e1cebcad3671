/**
 * ExportLogsServiceResponse in the request's encoding. OTLP's partial success: the records refused are
 * counted, with one message saying why; a response without partialSuccess means all were taken.
 */
import type { OtlpEncoding } from './otlp-body.guard';
import { ExportLogsServiceResponse } from './otlp-proto';

export interface ReceiveOutcome {
  /** Records not stored (partialSuccess.rejectedLogRecords). */
  rejected: number;
  /** Why: records refused, and lifecycle requests (a phase completion, a finish) that were refused although their record was stored. */
  messages: string[];
}

/** The messages, each once with how often it was seen, at most MAX_MESSAGES of them. */
const MAX_MESSAGES = 10;
export function errorMessage(messages: string[]): string {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
  const parts = [...counts].slice(0, MAX_MESSAGES).map(([m, n]) => (n > 1 ? `${m} (${n} records)` : m));
  if (counts.size > MAX_MESSAGES) parts.push(`and ${counts.size - MAX_MESSAGES} other reasons`);
  return parts.join('; ');
}

export function encodeResponse(outcome: ReceiveOutcome, encoding: OtlpEncoding): Buffer {
  const body =
    outcome.rejected === 0 && outcome.messages.length === 0
      ? {}
      : { partialSuccess: { rejectedLogRecords: outcome.rejected, errorMessage: errorMessage(outcome.messages) } };
  if (encoding === 'json') return Buffer.from(JSON.stringify(body));
  return Buffer.from(ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(body)).finish());
}
