/**
 * The entries of an append, checked in one pass with class-validator's own checks (isIn, length,
 * isISO8601, ...) instead of turning each into a LogEntryDto and validating it as a nested object:
 * for 100 entries that took about 0.55 ms per request, the largest cost of the HTTP append path in
 * the benchmark's profile (docs/benchmarks.md). The messages are class-validator's, with the same
 * path (`entries.3.level ...`); the first problem found is reported.
 */
import { isIn, isInt, isISO8601, isString, length, min, ValidateBy, ValidationOptions } from 'class-validator';
import { DATE_TIME_WITH_OFFSET, DATE_TIME_WITH_OFFSET_RULE, MAX_MESSAGE_LENGTH, MAX_PHASE_LENGTH } from '../../domain/run.decide';
import { LOG_LEVELS } from '../../domain/run.types';
import { isStorableDateTime } from './input-rules';

const ENTRY_KEYS = new Set(['level', 'message', 'timestamp', 'phase', 'seq']);

/** On an array property: every element must be a log entry. Leaves non-arrays to @IsArray. */
export function AreLogEntries(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'areLogEntries',
      validator: {
        validate: (value: unknown, args) => !Array.isArray(value) || firstEntryProblem(value, args?.property ?? 'entries') === null,
        // Only reached when validate failed: the problem is found again, to word it.
        defaultMessage: (args) => firstEntryProblem(args?.value as unknown[], args?.property ?? 'entries') ?? 'entries are invalid',
      },
    },
    options,
  );
}

export function firstEntryProblem(entries: unknown[], property: string): string | null {
  for (let i = 0; i < entries.length; i++) {
    const problem = entryProblem(entries[i], `${property}.${i}`);
    if (problem !== null) return problem;
  }
  return null;
}

/** What is wrong with one entry, worded as class-validator words it, or null. */
function entryProblem(entry: unknown, path: string): string | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return `${path} must be an object`;
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.has(key)) return `property ${path}.${key} should not exist`;
  }
  const e = entry as Record<string, unknown>;
  if (!isIn(e.level, LOG_LEVELS as unknown as unknown[])) {
    return `${path}.level must be one of the following values: ${LOG_LEVELS.join(', ')}`;
  }
  if (!isString(e.message)) return `${path}.message must be a string`;
  if (!length(e.message, 1, MAX_MESSAGE_LENGTH)) {
    return `${path}.message must be longer than or equal to 1 and shorter than or equal to ${MAX_MESSAGE_LENGTH} characters`;
  }
  // Optional fields, like @IsOptional: null and undefined are "not given".
  if (e.timestamp !== undefined && e.timestamp !== null) {
    if (!isString(e.timestamp) || !isISO8601(e.timestamp, { strict: true })) return `${path}.timestamp must be a valid ISO 8601 date string`;
    if (!DATE_TIME_WITH_OFFSET.test(e.timestamp)) return `${path}.timestamp ${DATE_TIME_WITH_OFFSET_RULE}`;
    if (!isStorableDateTime(e.timestamp)) return `${path}.timestamp must be a date-time between the years 0001 and 9999 (UTC)`;
  }
  if (e.phase !== undefined && e.phase !== null) {
    if (!isString(e.phase)) return `${path}.phase must be a string`;
    if (!length(e.phase, 1, MAX_PHASE_LENGTH)) {
      return `${path}.phase must be longer than or equal to 1 and shorter than or equal to ${MAX_PHASE_LENGTH} characters`;
    }
  }
  if (e.seq !== undefined && e.seq !== null) {
    if (!isInt(e.seq)) return `${path}.seq must be an integer number`;
    if (!min(e.seq, 1)) return `${path}.seq must not be less than 1`;
  }
  return null;
}
