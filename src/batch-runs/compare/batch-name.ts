/**
 * The batch a run belongs to when it has no portfolio. Runs carry no separate batch name: producers
 * name each run of a batch alike, the part that differs being a date, a number or an id
 * (nightly-import-2026-01-11, nightly-import-2026-01-12). So the batch name is the run id normalised
 * by the same rules as messages (normalise-message.ts): both are nightly-import-<time>. An id that is
 * only variable parts (a bare UUID, a number) names no batch: every such run would be "the same batch".
 */
import { normaliseMessage } from './normalise-message';

const PLACEHOLDER = /<(?:uuid|time|hex|n)>/g;

export function batchNameOf(batchRunId: string): string | null {
  const name = normaliseMessage(batchRunId);
  return /[A-Za-z]/.test(name.replace(PLACEHOLDER, '')) ? name : null;
}

/**
 * The start every run id of the batch shares: the id up to its first variable part (normalisation
 * replaces parts and changes nothing before them; run ids hold no '<'). The database narrows
 * candidates by it; batchNameOf decides.
 */
export function batchNamePrefix(batchRunId: string): string {
  const name = normaliseMessage(batchRunId);
  const cut = name.search(PLACEHOLDER);
  return cut < 0 ? name : name.slice(0, cut);
}
