/**
 * Every statement runlog sends to PostgreSQL for batch runs, in one place. Multi-row writes pass
 * arrays (unnest) or one JSON document (jsonb_to_recordset), so a group of any size is one statement
 * with a fixed text: PostgreSQL plans it once per connection (named prepared statements).
 */

/** Entries' timestamps leave the database in one exact shape: ISO 8601, UTC, milliseconds, 'Z'. */
const ISO_UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The LISTEN/NOTIFY channel on which committed appends name their stream. */
export const EVENTS_CHANNEL = 'runlog_events';

/** The run row as readers need it; activity_log itself is never selected here (it can be large). */
const RUN_COLUMNS = `batch_run_id, status, ${ISO_UTC('started_at')} AS started_at, ${ISO_UTC('completed_at')} AS completed_at,
  total_jobs, completed_jobs, failed_jobs, portfolio_id, owner_id, last_seq, current_phase, phases,
  stream_version, dropped_entries, log_cut_at, activity_log_seq, activity_log IS NOT NULL AS has_snapshot`;

/**
 * The entries of a LogAppended payload as rows: the entry table is derived in SQL from the events'
 * own JSON, so a group's entries cross the wire once (inside the events) and are never escaped into
 * arrays. The column list is the entry table's.
 */
const ENTRIES_OF = (payload: string) =>
  `jsonb_to_recordset(${payload} -> 'entries') AS e(seq int, "timestamp" timestamptz, level text, phase text, message text, "traceId" text, "spanId" text, uid text)`;

const INSERT_ENTRIES = `INSERT INTO batch_run_log_entries (batch_run_id, seq, "timestamp", level, phase, message, trace_id, span_id, record_uid)`;
const ENTRY_VALUES = `e.seq, e."timestamp", e.level, e.phase, e.message, e."traceId", e."spanId", e.uid`;

/** An entry row as readers take it (the keys of StoredLogEntry; trace and span ids are null on most rows). */
const ENTRY_COLUMNS = `seq, ${ISO_UTC('"timestamp"')} AS "timestamp", level, phase, message, trace_id AS "traceId", span_id AS "spanId"`;

/**
 * The run row is the fold of the run's events as of stream_version. It is written in the same
 * transaction as those events, and only ever forward (a row never goes back to an older version).
 * Its id derives from batch_run_id, so a projection rebuild gives every row the id it had.
 */
const UPSERT_RUNS = (rows: string, guarded = false) => `INSERT INTO batch_run_history AS h (id, batch_run_id, status, started_at, completed_at, total_jobs, completed_jobs,
             failed_jobs, portfolio_id, owner_id, onboarding, last_seq, current_phase, phases, stream_version, dropped_entries, log_cut_at, created_at, updated_at)
           SELECT md5(r.batch_run_id)::uuid, r.batch_run_id, r.status, r.started_at, r.completed_at, r.total_jobs, r.completed_jobs, r.failed_jobs,
             r.portfolio_id, r.owner_id, COALESCE(r.onboarding, false), r.last_seq, r.current_phase, r.phases, r.stream_version, r.dropped_entries, r.log_cut_at,
             r.started_at, r.updated_at
           FROM jsonb_to_recordset(${rows}::jsonb) AS r(batch_run_id text, status text, started_at timestamptz,
             completed_at timestamptz, total_jobs int, completed_jobs int, failed_jobs int, portfolio_id uuid,
             owner_id text, onboarding boolean, last_seq int, current_phase text, phases jsonb, stream_version int, dropped_entries int,
             log_cut_at int, updated_at timestamptz)${guarded ? ', guard WHERE guard.ok' : ''}
           ON CONFLICT (batch_run_id) DO UPDATE SET
             status = EXCLUDED.status, completed_at = EXCLUDED.completed_at, total_jobs = EXCLUDED.total_jobs,
             completed_jobs = EXCLUDED.completed_jobs, failed_jobs = EXCLUDED.failed_jobs,
             last_seq = EXCLUDED.last_seq, current_phase = EXCLUDED.current_phase, phases = EXCLUDED.phases,
             stream_version = EXCLUDED.stream_version, dropped_entries = EXCLUDED.dropped_entries,
             log_cut_at = EXCLUDED.log_cut_at, updated_at = EXCLUDED.updated_at
           WHERE h.stream_version < EXCLUDED.stream_version`;

export const SQL = {
  /**
   * Everything a group commit writes, in one statement (one round trip instead of one per table):
   * $1 the events as one JSON array; the entry rows derived from their
   * LogAppended payloads; $2 the run rows as folded; the leases of the runs touched, renewed for
   * the running ones ($3) and released for the finished ones ($4), owned by $5 for $6 seconds.
   *
   * Guarded by the versions the group was decided from: $7 the runs written, $8 the stream version
   * each had (0: a run not yet started). The statement first locks those run rows (in id order, as
   * lockRunVersions does, so it never deadlocks with a locked transaction), and writes only when every
   * version is still the one decided from; else it writes nothing and answers written = false. So a
   * group decided from cached states can run in autocommit, one statement and one WAL flush, and a
   * group of another instance cannot be overwritten. Every data-modifying part reads `guard`, so none
   * runs before the rows are locked and checked.
   *
   * No NOTIFY here: PostgreSQL serialises every committing transaction that notifies, WAL flush and
   * all (async.c takes a database-wide lock in PreCommit_Notify and holds it until the commit is
   * flushed), so a NOTIFY in this statement let only one group's flush run at a time, whatever the
   * lanes and the pipeline (pgbench, 8 clients, INSERT: 17,000 tps; INSERT + pg_notify: 4,600). The
   * committed streams are named afterwards by notifyStreams. PostgreSQL runs every data-modifying
   * WITH to completion whether or not its output is read. Events are ordered by
   * (stream_id, version), which the array carries; an ORDER BY to make the global position follow
   * the array as well cost about 15% of the statement, and nothing reads it.
   */
  commitGroup: {
    name: 'runlog_commit_group',
    text: `WITH locked AS (
             SELECT batch_run_id, stream_version FROM batch_run_history
             WHERE batch_run_id = ANY($7::text[]) ORDER BY batch_run_id FOR UPDATE
           ),
           guard AS (
             SELECT NOT EXISTS (
               SELECT 1 FROM unnest($7::text[], $8::int[]) AS d(batch_run_id, version)
               LEFT JOIN locked l USING (batch_run_id)
               WHERE COALESCE(l.stream_version, 0) <> d.version
             ) AS ok
           ),
           input AS (
             SELECT x.* FROM guard, jsonb_to_recordset($1::jsonb) AS x(stream_id text, version int, type text, occurred_at timestamptz, payload jsonb)
             WHERE guard.ok
           ),
           appended AS (
             INSERT INTO batch_run_events (stream_id, version, type, payload, occurred_at)
             SELECT stream_id, version, type, payload, occurred_at FROM input
           ),
           entries AS (
             ${INSERT_ENTRIES}
             SELECT x.stream_id, ${ENTRY_VALUES} FROM input x, ${ENTRIES_OF('x.payload')}
             WHERE x.type = 'LogAppended'
           ),
           runs AS (${UPSERT_RUNS('$2', true)}),
           renewed AS (
             INSERT INTO batch_run_leases (batch_run_id, owner, expires_at)
             SELECT id, $5, now() + make_interval(secs => $6) FROM guard, unnest($3::text[]) AS id WHERE guard.ok
             ON CONFLICT (batch_run_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
           ),
           released AS (DELETE FROM batch_run_leases WHERE batch_run_id = ANY($4::text[]) AND (SELECT ok FROM guard))
           SELECT guard.ok AS written FROM guard`,
  },

  /**
   * Names committed streams to every listening instance ($1: stream ids, or ['*'] for all), sent by
   * EventNotifier after the commit, on its own connection, with synchronous_commit off: the
   * notification is a hint (followers read by version, and poll), so it need not wait for a WAL flush,
   * and it holds PostgreSQL's notify lock only for the moment of its own commit.
   */
  notifyStreams: {
    name: 'runlog_notify_streams',
    text: `SELECT pg_notify('${EVENTS_CHANNEL}', id) FROM unnest($1::text[]) AS id`,
  },

  /** A projection rebuild's entry rows, from stored events: $1 is [{stream_id, payload}] of LogAppended events. */
  insertEntries: {
    name: 'runlog_insert_entries',
    text: `${INSERT_ENTRIES}
           SELECT x.stream_id, ${ENTRY_VALUES}
           FROM jsonb_to_recordset($1::jsonb) AS x(stream_id text, payload jsonb), ${ENTRIES_OF('x.payload')}`,
  },

  /** A projection rebuild's run rows: $1 as for commitGroup's $2. */
  upsertRuns: {
    name: 'runlog_upsert_runs',
    text: UPSERT_RUNS('$1'),
  },

  /**
   * The JSONB snapshot, extended with the entries it lacks up to $2 and never moved backwards: a
   * write carrying an older last seq than the stored one matches no row and changes nothing. Only the
   * missing entries are aggregated; the stored prefix is kept as it is.
   */
  writeSnapshot: {
    name: 'runlog_write_snapshot',
    text: `UPDATE batch_run_history h
           SET activity_log = COALESCE(h.activity_log, '[]'::jsonb) || COALESCE((
                 SELECT jsonb_agg(jsonb_build_object('seq', e.seq, 'timestamp', ${ISO_UTC('e."timestamp"')},
                          'level', e.level, 'phase', e.phase, 'message', e.message)
                          || CASE WHEN e.trace_id IS NULL AND e.span_id IS NULL THEN '{}'::jsonb
                                  ELSE jsonb_strip_nulls(jsonb_build_object('traceId', e.trace_id, 'spanId', e.span_id)) END
                          ORDER BY e.seq)
                 FROM batch_run_log_entries e
                 WHERE e.batch_run_id = h.batch_run_id AND e.seq > h.activity_log_seq AND e.seq <= $2
               ), '[]'::jsonb),
               activity_log_seq = $2
           WHERE h.batch_run_id = $1 AND (h.activity_log IS NULL OR h.activity_log_seq < $2)`,
  },

  /**
   * Finished runs whose snapshot does not reach their last seq: a writer that died between the
   * group's commit and its snapshot. Scans the run rows once per start (activity_log itself lives out
   * of line, so the rows are small).
   */
  finishedRunsWithLaggingSnapshot: {
    name: 'runlog_finished_runs_with_lagging_snapshot',
    text: `SELECT batch_run_id, last_seq FROM batch_run_history
           WHERE status <> 'running' AND (activity_log IS NULL OR activity_log_seq < last_seq)
           ORDER BY batch_run_id LIMIT $1`,
  },

  selectRunStates: {
    name: 'runlog_select_run_states',
    text: `SELECT batch_run_id, status, ${ISO_UTC('started_at')} AS started_at, ${ISO_UTC('completed_at')} AS completed_at,
             total_jobs, completed_jobs, failed_jobs, portfolio_id, owner_id, onboarding, last_seq, current_phase, phases, stream_version,
             dropped_entries, log_cut_at
           FROM batch_run_history WHERE batch_run_id = ANY($1::text[])`,
  },

  /**
   * Inside the writing transaction: lock the runs' rows until it ends (in id order, so two writers
   * locking overlapping sets never deadlock) and learn which version each has. A writer in another
   * instance waits for this commit, then decides from its result instead of colliding with it.
   */
  lockRunVersions: {
    name: 'runlog_lock_run_versions',
    text: `SELECT batch_run_id, stream_version FROM batch_run_history
           WHERE batch_run_id = ANY($1::text[]) ORDER BY batch_run_id FOR UPDATE`,
  },

  /**
   * A page of a stream: events after $2 with their payload as JSON text (an event stream sends it on
   * as it is), at most $3 of them and, past the first, only while the page stays under $4
   * characters, so a page of thousand-entry events is as small in memory as a page of one-liners.
   */
  selectStreamPage: {
    name: 'runlog_select_stream_page',
    text: `SELECT version, type, occurred_at, payload FROM (
             SELECT version, type, occurred_at, payload, sum(length(payload)) OVER (ORDER BY version) - length(payload) AS before
             FROM (SELECT version, type, ${ISO_UTC('occurred_at')} AS occurred_at, payload::text AS payload
                   FROM batch_run_events WHERE stream_id = $1 AND version > $2 ORDER BY version LIMIT $3) AS page
           ) AS sized
           WHERE before < $4 ORDER BY version`,
  },

  selectRun: {
    name: 'runlog_select_run',
    text: `SELECT ${RUN_COLUMNS} FROM batch_run_history WHERE batch_run_id = $1`,
  },

  /** Keyset pagination, newest first: the cursor is the (started_at, batch_run_id) of the last row seen. */
  listRuns: {
    name: 'runlog_list_runs',
    text: `SELECT ${RUN_COLUMNS} FROM batch_run_history
           WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR portfolio_id = $2)
             AND ($3::timestamptz IS NULL OR (started_at, batch_run_id) < ($3::timestamptz, $4::text))
           ORDER BY started_at DESC, batch_run_id DESC LIMIT $5`,
  },

  latestRunOfPortfolio: {
    name: 'runlog_latest_run_of_portfolio',
    text: `SELECT ${RUN_COLUMNS} FROM batch_run_history
           WHERE portfolio_id = $1 AND ($2::text IS NULL OR owner_id = $2)
           ORDER BY started_at DESC, batch_run_id DESC LIMIT 1`,
  },

  /**
   * Reads of a log, one page at a time (keyset: each page starts after the last one), so that a
   * connection is held for one page only and never while a slow client reads what it returned.
   * The snapshot holds seqs 1..activity_log_seq as array elements 0..activity_log_seq-1; a page
   * is the elements $2..$3 as one text, jsonb's own output, which the formats pass through
   * (read/formats/snapshot-text.ts): a page that covers the whole snapshot is the column's text itself,
   * the cheapest read there is; a smaller one the text of the slice (jsonb_path_query_array, not
   * jsonb_array_elements, which materialises the whole array for every page). The count comes from
   * activity_log_seq, without unpacking anything.
   */
  snapshotPage: {
    name: 'runlog_snapshot_text_page',
    text: `SELECT CASE WHEN $2 = 0 AND h.activity_log_seq <= $3 + 1 THEN h.activity_log::text
                  ELSE jsonb_path_query_array(h.activity_log, '$[$from to $to]', jsonb_build_object('from', $2::int, 'to', $3::int))::text END AS page,
                  GREATEST(LEAST($3 + 1, h.activity_log_seq) - $2, 0)::int AS count
           FROM batch_run_history h
           WHERE h.batch_run_id = $1 AND h.activity_log IS NOT NULL`,
  },

  entriesPage: {
    name: 'runlog_entries_page',
    text: `SELECT ${ENTRY_COLUMNS} FROM batch_run_log_entries
           WHERE batch_run_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
  },

  filteredEntriesPage: {
    name: 'runlog_filtered_entries_page',
    text: `SELECT ${ENTRY_COLUMNS} FROM batch_run_log_entries
           WHERE batch_run_id = $1 AND seq > $2 AND seq <= $3
             AND ($4::text IS NULL OR level = $4) AND ($5::text IS NULL OR phase = $5)
           ORDER BY seq LIMIT $6`,
  },

  /**
   * Which (run, uid) pairs of $1/$2 are stored: the entries an append retries. Run inside the writing
   * transaction after the runs' rows are locked, so no other writer can store one of them meanwhile.
   */
  storedEntryUids: {
    name: 'runlog_stored_entry_uids',
    text: `SELECT e.batch_run_id, e.record_uid AS uid
           FROM unnest($1::text[], $2::text[]) AS k(batch_run_id, uid)
           JOIN batch_run_log_entries e ON e.batch_run_id = k.batch_run_id AND e.record_uid = k.uid AND e.record_uid IS NOT NULL`,
  },

  /** A heartbeat renews only runs that are still running: a finished run is never leased again. */
  heartbeatLeases: {
    name: 'runlog_heartbeat_leases',
    text: `INSERT INTO batch_run_leases (batch_run_id, owner, expires_at)
           SELECT h.batch_run_id, $2, now() + make_interval(secs => $3)
           FROM batch_run_history h WHERE h.batch_run_id = ANY($1::text[]) AND h.status = 'running'
           ON CONFLICT (batch_run_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
           RETURNING batch_run_id`,
  },

  expiredLeases: {
    name: 'runlog_expired_leases',
    text: `SELECT h.batch_run_id, l.owner,
             ${ISO_UTC('COALESCE(l.expires_at, h.updated_at + make_interval(secs => $1))')} AS expired_at
           FROM batch_run_history h LEFT JOIN batch_run_leases l USING (batch_run_id)
           WHERE h.status = 'running' AND COALESCE(l.expires_at, h.updated_at + make_interval(secs => $1)) < now()
           ORDER BY 3 LIMIT $2`,
  },

  /**
   * An instance's liveness beat, under the lock of the one liveness row (beats serialise on it, so
   * a downtime is credited once, by whichever instance beats first): when alive_at is older than
   * $1 seconds, no instance was up in between, and every lease of a running run that was still
   * valid at alive_at gets the gap back (expires_at + gap: exactly the time it had left), never
   * more than a fresh lease ($2 seconds from now) and never less than it had. A lease that had
   * already run out while runlog was up is left as it is and swept. Lease rows a writer holds
   * locked are skipped (SKIP LOCKED): that writer is renewing them to a full lease anyway, and so
   * the beat never waits on a writer and cannot deadlock with one. Then alive_at = now().
   */
  beatLiveness: {
    name: 'runlog_beat_liveness',
    text: `WITH was AS (
             SELECT alive_at, now() - alive_at AS gap, now() - alive_at > make_interval(secs => $1) AS down
             FROM runlog_liveness WHERE id = 1 FOR UPDATE
           ),
           held AS (
             SELECT l.batch_run_id FROM was, batch_run_leases l JOIN batch_run_history h USING (batch_run_id)
             WHERE was.down AND h.status = 'running' AND l.expires_at > was.alive_at
             ORDER BY l.batch_run_id FOR UPDATE OF l SKIP LOCKED
           ),
           shifted AS (
             UPDATE batch_run_leases l
             SET expires_at = GREATEST(l.expires_at, LEAST(l.expires_at + was.gap, now() + make_interval(secs => $2)))
             FROM was, held WHERE l.batch_run_id = held.batch_run_id
             RETURNING 1
           ),
           beat AS (
             UPDATE runlog_liveness n SET alive_at = GREATEST(was.alive_at, now()) FROM was WHERE n.id = 1
           ),
           born AS (
             INSERT INTO runlog_liveness (id, alive_at) SELECT 1, now() WHERE NOT EXISTS (SELECT 1 FROM was)
             ON CONFLICT (id) DO NOTHING
           )
           SELECT extract(epoch FROM was.gap)::float8 AS gap_seconds, was.down, (SELECT count(*)::int FROM shifted) AS shifted
           FROM was`,
  },

  /**
   * One bounded retention step: up to $2 finished runs whose completion is older than $1 days, with
   * their events, entries and lease, in one transaction. SKIP LOCKED lets instances share the work.
   */
  deleteExpiredRuns: {
    name: 'runlog_delete_expired_runs',
    text: `WITH doomed AS (
             SELECT batch_run_id FROM batch_run_history
             WHERE status <> 'running' AND completed_at < now() - make_interval(secs => $1 * 86400)
             ORDER BY completed_at LIMIT $2 FOR UPDATE SKIP LOCKED
           ),
           events AS (DELETE FROM batch_run_events WHERE stream_id IN (SELECT batch_run_id FROM doomed) RETURNING 1),
           entries AS (DELETE FROM batch_run_log_entries WHERE batch_run_id IN (SELECT batch_run_id FROM doomed) RETURNING 1),
           leases AS (DELETE FROM batch_run_leases WHERE batch_run_id IN (SELECT batch_run_id FROM doomed) RETURNING 1),
           runs AS (DELETE FROM batch_run_history WHERE batch_run_id IN (SELECT batch_run_id FROM doomed) RETURNING batch_run_id)
           SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM entries)::int AS entries,
                  array(SELECT batch_run_id FROM runs) AS runs`,
  },

  countRuns: `SELECT count(*)::int AS count FROM batch_run_history`,
} as const;
