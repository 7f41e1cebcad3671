/**
 * Every statement of search and of its background indexer (src/batch-runs/search), in one place.
 *
 * Chunks (batch_run_log_search) cover seqs 1..search_indexed_seq of a run, 100 consecutive lines each,
 * their text without ANSI codes, in lower case, joined by '\n'. A search takes the union of
 *   - the chunks the trigram index finds (a superset: a chunk matches whenever one of its lines does),
 *     each rechecked line by line against the entry table within [first_seq, last_seq], and
 *   - the entries above the run's search_indexed_seq, scanned directly,
 * so it is complete however far behind the indexer is. One statement reads the watermark and both
 * parts, in one snapshot: a chunk written meanwhile is either seen with its watermark or not at all.
 */

import { SEARCH_LIMITS } from './search.limits';

/** Entries' timestamps as run.sql.ts gives them: ISO 8601, UTC, milliseconds, 'Z'. */
const ISO_UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An entry row as readers take it (the keys of StoredLogEntry), as run.sql.ts's entry reads. */
const ENTRY_COLUMNS = `e.seq, ${ISO_UTC('e."timestamp"')} AS "timestamp", e.level, e.phase, e.message, e.trace_id AS "traceId", e.span_id AS "spanId"`;

/** The run columns readers need (run.sql.ts's RUN_COLUMNS), for the across-runs answer. */
const RUN_COLUMNS = `h.batch_run_id, h.status, ${ISO_UTC('h.started_at')} AS started_at, ${ISO_UTC('h.completed_at')} AS completed_at,
  h.total_jobs, h.completed_jobs, h.failed_jobs, h.portfolio_id, h.owner_id, h.last_seq, h.current_phase, h.phases,
  h.stream_version, h.dropped_entries, h.log_cut_at, h.activity_log_seq, false AS has_snapshot`;

/** The lines a chunk holds at most. */
export const CHUNK_LINES = 100;

/** The advisory-lock namespace (first key of the two-int form) of the indexer's per-run locks. */
const INDEXER_LOCK_SPACE = 0x52554e4c; // "RUNL"

/** How a query matches: a case-insensitive substring (ILIKE) or a PostgreSQL regular expression (~*). */
export type SearchMode = 'substring' | 'regex';

/** A line's text: the message without ANSI codes (runlog_strip_ansi mirrors domain/ansi.ts). */
const LINE_TEXT = 'runlog_strip_ansi(e.message)';

/**
 * Whether `subject` matches. Chunk bodies are stored in lower case (`lowered`): LIKE on them is 3-4x
 * faster than ILIKE (measured over 10,000 chunks, 1,000,000 lines: 0.47 s against 1.28 s), and PostgreSQL's
 * ILIKE is exactly lower(text) LIKE lower(pattern), so both sides are lowered once and compared with LIKE.
 * A regex is matched with ~* either way (case-insensitive: a lowered body matches as the line does).
 */
const matches = (mode: SearchMode, subject: string, pattern: string, lowered = false) =>
  mode === 'regex' ? `${subject} ~* ${pattern}` : `${lowered ? subject : `lower(${subject})`} LIKE lower(${pattern})`;

/**
 * The seq spans of run `run` ("r.batch_run_id") that may hold a match: the chunks the index finds, and
 * everything above the watermark. $chunk NULL: the index cannot be trusted for this pattern (search.pattern.ts),
 * every entry is scanned.
 */
const spansOf = (mode: SearchMode, run: string, chunkPattern: string) => `
  SELECT c.first_seq, c.last_seq FROM batch_run_log_search c
  WHERE c.batch_run_id = ${run} AND ${matches(mode, 'c.body', chunkPattern, true)}
  UNION ALL
  SELECT CASE WHEN ${chunkPattern}::text IS NULL THEN 0 ELSE w.search_indexed_seq END + 1, 2147483647
  FROM batch_run_history w WHERE w.batch_run_id = ${run}`;

/** The level and phase filters, on entry `e`. */
const FILTERS = (level: string, phase: string) => `(${level}::text IS NULL OR e.level = ${level}) AND (${phase}::text IS NULL OR e.phase = ${phase})`;

/**
 * A regex match's positions in a line's text, as a flat int array [start1, end1, start2, end2, ...]
 * of 1-based code point positions (end exclusive), at most $max matches: PostgreSQL's own regex engine
 * places them, so they are where `~*` found the match (a JavaScript RegExp reads the same text differently).
 */
const REGEX_POSITIONS = (text: string, pattern: string, max: string) => `ARRAY(
    SELECT p FROM generate_series(1, LEAST(regexp_count(${text}, ${pattern}, 1, 'i'), ${max})) n,
      LATERAL unnest(ARRAY[regexp_instr(${text}, ${pattern}, 1, n, 0, 'i'), regexp_instr(${text}, ${pattern}, 1, n, 1, 'i')]) p)`;

/**
 * Matches of each run of $1, in seq order after $6, at most $7 per run: $2 the line pattern, $3 the
 * chunk pattern (or NULL), $4 level, $5 phase, $8 the most match positions per line (regex only).
 */
const matchesOfRuns = (mode: SearchMode) => `
  SELECT r.batch_run_id, m.* FROM unnest($1::text[]) AS r(batch_run_id)
  CROSS JOIN LATERAL (
    SELECT ${ENTRY_COLUMNS}, t.text${mode === 'regex' ? `, ${REGEX_POSITIONS('t.text', '$2', '$8::int')} AS positions` : ''}
    FROM (${spansOf(mode, 'r.batch_run_id', '$3')}) s
    JOIN batch_run_log_entries e ON e.batch_run_id = r.batch_run_id AND e.seq BETWEEN GREATEST(s.first_seq, $6::int + 1) AND s.last_seq
    CROSS JOIN LATERAL (SELECT ${LINE_TEXT} AS text) t
    WHERE ${matches(mode, 't.text', '$2')} AND ${FILTERS('$4', '$5')}
    ORDER BY e.seq LIMIT $7
  ) m`;

/** All matches of run $1 ($2 line pattern, $3 chunk pattern or NULL, $4 level, $5 phase). */
const countInRun = (mode: SearchMode) => `
  SELECT count(*)::int AS total FROM (${spansOf(mode, '$1::text', '$3')}) s
  JOIN batch_run_log_entries e ON e.batch_run_id = $1 AND e.seq BETWEEN s.first_seq AND s.last_seq
  WHERE ${matches(mode, LINE_TEXT, '$2')} AND ${FILTERS('$4', '$5')}`;

/**
 * The runs with at least one match, newest first (keyset on started_at, batch_run_id after the
 * cursor $9/$10), at most $11, each with its match count and the seqs of its first matches: $1 line pattern,
 * $2 chunk pattern or NULL, $3 level, $4 phase, $5 status, $6 portfolio_id, $7/$8 started_at bounds (inclusive).
 *
 * The chunks the index finds are taken once, then the runs are walked newest first and counted one by one
 * until the page is full: a phrase in every run is counted in the page's runs only (0.4-0.6 s over 1,000,000
 * entries, where counting every run and sorting took 1.9-2.2 s), a rare one costs what its chunks cost (7-10 ms).
 */
const runsWithMatches = (mode: SearchMode) => `
  WITH chunks AS MATERIALIZED (
    SELECT c.batch_run_id, c.first_seq, c.last_seq FROM batch_run_log_search c WHERE ${matches(mode, 'c.body', '$2', true)}
  )
  SELECT ${RUN_COLUMNS}, m.match_count, m.first_seqs
  FROM batch_run_history h
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS match_count, (array_agg(e.seq ORDER BY e.seq))[1:${SEARCH_LIMITS.firstMatchesPerRun}] AS first_seqs
    FROM (SELECT k.first_seq, k.last_seq FROM chunks k WHERE k.batch_run_id = h.batch_run_id
          UNION ALL
          SELECT CASE WHEN $2::text IS NULL THEN 0 ELSE h.search_indexed_seq END + 1, 2147483647) s
    JOIN batch_run_log_entries e ON e.batch_run_id = h.batch_run_id AND e.seq BETWEEN s.first_seq AND s.last_seq
    WHERE ${matches(mode, LINE_TEXT, '$1')} AND ${FILTERS('$3', '$4')}
  ) m
  WHERE m.match_count > 0
    AND ($5::text IS NULL OR h.status = $5) AND ($6::uuid IS NULL OR h.portfolio_id = $6)
    AND ($7::timestamptz IS NULL OR h.started_at >= $7) AND ($8::timestamptz IS NULL OR h.started_at <= $8)
    AND ($9::timestamptz IS NULL OR (h.started_at, h.batch_run_id) < ($9::timestamptz, $10::text))
  ORDER BY h.started_at DESC, h.batch_run_id DESC LIMIT $11`;

/**
 * The entries ($1[i], $2[i]) (run, seq) with their text, and for a regex ($3, at most $4 matches a line)
 * where it matched: the first matches the runs statement named, read by primary key.
 */
const entriesAt = (mode: SearchMode) => `
  SELECT k.batch_run_id, ${ENTRY_COLUMNS}, t.text${mode === 'regex' ? `, ${REGEX_POSITIONS('t.text', '$3', '$4::int')} AS positions` : ''}
  FROM unnest($1::text[], $2::int[]) AS k(batch_run_id, seq)
  JOIN batch_run_log_entries e ON e.batch_run_id = k.batch_run_id AND e.seq = k.seq
  CROSS JOIN LATERAL (SELECT ${LINE_TEXT} AS text) t
  ORDER BY k.batch_run_id, e.seq`;

const byMode = <T>(make: (mode: SearchMode, name: string) => T) => ({ substring: make('substring', 'substring'), regex: make('regex', 'regex') });

export const SEARCH_SQL = {
  /** The read transaction of one search: a snapshot for its statements. */
  begin: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`,
  /**
   * Its settings, for this transaction only: the time bound ($1 ms), and the trigram index always. A chunk's
   * body (about 9 KB) lives in TOAST, so the table itself is a few pages and the planner prices a sequential
   * scan of it far below the bitmap index scan, not counting the detoasting and ILIKE of every body: on
   * 10,000 chunks (1,000,000 entries, bench section 8) it chose the scan, 2.3 s, where the index takes 4 ms.
   * The entry table is read by primary key either way. JIT off: with the scan priced out, every plan's
   * cost passes jit_above_cost, and compiling took longer (45 ms) than the query. Custom plans always: how
   * many chunks a pattern hits is what the plan depends on, and after five executions PostgreSQL switched
   * the prepared statements to a generic plan that took 25 ms where the custom one took 7 (bench section 8).
   */
  settings: `SELECT set_config('statement_timeout', $1, true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),
               set_config('plan_cache_mode', 'force_custom_plan', true)`,

  matchesOfRuns: byMode((mode, name) => ({ name: `runlog_search_matches_${name}`, text: matchesOfRuns(mode) })),
  countInRun: byMode((mode, name) => ({ name: `runlog_search_count_${name}`, text: countInRun(mode) })),
  runsWithMatches: byMode((mode, name) => ({ name: `runlog_search_runs_${name}`, text: runsWithMatches(mode) })),
  entriesAt: byMode((mode, name) => ({ name: `runlog_search_entries_at_${name}`, text: entriesAt(mode) })),

  /** The entries of run $1 in the seq ranges [$2[i], $3[i]] (disjoint), in seq order: a page's context. */
  entriesInRanges: {
    name: 'runlog_search_context',
    text: `SELECT ${ENTRY_COLUMNS} FROM unnest($2::int[], $3::int[]) AS r(lo, hi)
           JOIN batch_run_log_entries e ON e.batch_run_id = $1 AND e.seq BETWEEN r.lo AND r.hi
           ORDER BY e.seq`,
  },

  /** Whether the trigram index exists (pg_trgm was available to the migration). */
  hasTrigramIndex: `SELECT to_regclass('ix_batch_run_log_search_body') IS NOT NULL AS indexed`,

  /**
   * Runs with lines to index: a running run once it has a whole chunk ($1 lines) past its watermark (its
   * tail is scanned meanwhile, and a chunk per tick of a slow run would fill the index with tiny documents),
   * a finished run down to its last line. At most $2, the longest waiting first.
   */
  pendingRuns: {
    name: 'runlog_search_pending_runs',
    text: `SELECT batch_run_id FROM batch_run_history
           WHERE last_seq >= search_indexed_seq + CASE WHEN status = 'running' THEN $1::int ELSE 1 END
           ORDER BY updated_at LIMIT $2`,
  },

  /**
   * Of the runs $3 (this instance wrote to them lately), those pendingRuns would answer, by their primary
   * key: the indexer's usual tick, which reads no other run row (pendingRuns reads them all).
   */
  pendingAmong: {
    name: 'runlog_search_pending_among',
    text: `SELECT batch_run_id FROM batch_run_history
           WHERE batch_run_id = ANY($3::text[]) AND last_seq >= search_indexed_seq + CASE WHEN status = 'running' THEN $1::int ELSE 1 END
           ORDER BY updated_at LIMIT $2`,
  },

  /** The indexer's lock on one run, held until its transaction ends: two instances never index one run at once. */
  lockRun: {
    name: 'runlog_search_lock_run',
    text: `SELECT pg_try_advisory_xact_lock(${INDEXER_LOCK_SPACE}, hashtext($1)) AS locked`,
  },

  /**
   * The next chunks of run $1 (under its lock): up to $2 entries after the watermark, $3 lines a chunk,
   * whole chunks only while the run runs. Answers the watermark it started from and the one to advance to.
   */
  writeChunks: {
    name: 'runlog_search_write_chunks',
    text: `WITH run AS (
             SELECT search_indexed_seq AS w,
                    search_indexed_seq + CASE WHEN status = 'running' THEN (LEAST(last_seq - search_indexed_seq, $2::int) / $3::int) * $3::int
                                              ELSE LEAST(last_seq - search_indexed_seq, $2::int) END AS upto
             FROM batch_run_history WHERE batch_run_id = $1
           ),
           chunks AS (
             INSERT INTO batch_run_log_search (batch_run_id, first_seq, last_seq, body)
             SELECT $1, min(e.seq), max(e.seq), string_agg(lower(${LINE_TEXT}), E'\\n' ORDER BY e.seq)
             FROM run JOIN batch_run_log_entries e ON e.batch_run_id = $1 AND e.seq > run.w AND e.seq <= run.upto
             GROUP BY (e.seq - run.w - 1) / $3::int
             ON CONFLICT (batch_run_id, first_seq) DO NOTHING
             RETURNING last_seq - first_seq + 1 AS lines
           )
           SELECT run.w AS from_seq, run.upto AS to_seq, (SELECT COALESCE(sum(lines), 0)::int FROM chunks) AS entries FROM run`,
  },

  /** The watermark moves forward only from where this transaction started (never twice for one range). */
  advanceWatermark: {
    name: 'runlog_search_advance_watermark',
    text: `UPDATE batch_run_history SET search_indexed_seq = $3 WHERE batch_run_id = $1 AND search_indexed_seq = $2`,
  },
} as const;
