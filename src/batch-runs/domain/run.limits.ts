/**
 * The limits of a run's input, defined once: the decider's rules, the request DTOs (class-validator)
 * and the OpenAPI document (pattern, maxLength, maximum) all read them from here, so the three cannot
 * disagree. Pure constants: no Nest, no SQL.
 */

/** A run id as it may be read: what a path or query parameter naming a run must match. */
export const BATCH_RUN_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const BATCH_RUN_ID_RULE = `must match ${BATCH_RUN_ID_PATTERN.source}`;
/**
 * What a new run may be called: the id pattern, but not "." or "..". Browsers and fetch resolve such a
 * path segment away (`/history/..` becomes `/api/v1/admin/batch`), so the run could never be read by URL.
 * Reads still take them, for a run stored before this rule.
 */
export const NEW_BATCH_RUN_ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9_.:-]{1,128}$/;
export const NEW_BATCH_RUN_ID_RULE = `${BATCH_RUN_ID_RULE} and not be "." or ".."`;

/** A log entry's message, in UTF-16 code units (JavaScript's string length). */
export const MAX_MESSAGE_LENGTH = 65536;
/** A phase's name, wherever one is given (start, entry, completion path, download filter). */
export const MAX_PHASE_LENGTH = 200;
export const MAX_OWNER_LENGTH = 200;
/** Phase names a start may declare. */
export const MAX_PHASES_PER_RUN = 100;
/** Entries one append may carry. */
export const MAX_ENTRIES_PER_APPEND = 1000;
/** Counts, seqs and totals are PostgreSQL integers (int4): a value past this would fail the whole commit. */
export const MAX_COUNT = 2_147_483_647;

/** W3C trace context ids, as lower-case hex: a trace id is 16 bytes, a span id 8 (OTLP records carry them). */
export const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
export const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;
/** A producer's own id for an entry (OTLP's log.record.uid): stored once per run however often it is sent. */
export const MAX_ENTRY_UID_LENGTH = 128;

/** A log read around one entry (around_seq): how many entries on either side it may ask for, and how many by default. */
export const MAX_LOG_CONTEXT = 1000;
export const DEFAULT_LOG_CONTEXT = 50;
