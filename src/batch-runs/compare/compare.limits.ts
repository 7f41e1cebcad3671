/** The bounds of a comparison of two runs (GET .../compare), defined once: the DTO, the OpenAPI document and the diff read them. */

/** Entries of each run compared at most (the first ones, by seq): a larger run's answer says truncated. */
export const COMPARE_MAX_ENTRIES = 200_000;
/** Lines each "only in" list returns: default and most. */
export const COMPARE_DEFAULT_LIMIT = 200;
export const COMPARE_MAX_LIMIT = 1000;
/** `with=` this word: the newest completed run of the same portfolio (else batch name), not a run id. */
export const LAST_COMPLETED = 'last_completed';
/**
 * Candidates a batch-name look-up examines at most (runs without a portfolio whose id starts like
 * this one's, newest first): bounded, so a look-up never walks the whole history.
 */
export const BATCH_NAME_MAX_CANDIDATES = 5000;
