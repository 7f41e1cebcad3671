import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search (issue #14): a trigram index over chunk documents (100 lines of a run, without ANSI codes, in
 * lower case: search.sql.ts), maintained in the background.
 *
 * A per-line GIN trigram index cost ingestion 72% (65k -> 16-18k rows/s, batch-100 INSERTs on
 * PostgreSQL 15); one over documents of 100 consecutive lines of a run costs about half as much per
 * line, and SearchIndexer builds them after the commit, never inside it. batch_run_history.search_indexed_seq
 * is the watermark: chunks cover exactly seqs 1..search_indexed_seq of a run, search scans the entries
 * above it directly, so a search is complete whatever the indexer's lag.
 *
 * pg_trgm is created only where the server offers it. Without it the table is the same, without the
 * GIN index: search still works, scanning the chunk table (100 lines a row) instead of probing an index.
 * down() leaves the extension: it may have been there before, or serve something else.
 *
 * Chunks go with their run: ON DELETE CASCADE from the run row, so retention (which deletes the run row
 * in the same statement as its entries) and anything else that deletes a run take its chunks too.
 */
export class AddLogSearchIndex1764900000000 implements MigrationInterface {
  name = 'AddLogSearchIndex1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const available = await q.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`);
    if (available.length > 0) await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Mirrors stripAnsi and ANSI_SEQUENCES in src/batch-runs/domain/ansi.ts (the one definition; this is
    // its copy for SQL, used to build chunk bodies and to recheck lines; test/api/search.test.ts checks
    // both give the same text). ARE reads \uXXXX escapes; a message without ESC or CSI is returned as it is.
    // Not STRICT: a one-expression SQL function is inlined into the query only if it is not declared STRICT
    // (its CASE is not strict), and called per line it cost seconds over a million lines.
    await q.query(`
      CREATE FUNCTION runlog_strip_ansi(message text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT CASE WHEN strpos(message, chr(27)) = 0 AND strpos(message, chr(155)) = 0 THEN message
          ELSE regexp_replace(message,
            '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]|\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)|\\u001b[\\u0020-\\u002f]*[\\u0030-\\u005a\\u005c\\u005e-\\u007e]',
            '', 'g') END
      $fn$`);
    await q.query(`
      CREATE TABLE batch_run_log_search (
        batch_run_id text NOT NULL REFERENCES batch_run_history (batch_run_id) ON DELETE CASCADE,
        first_seq integer NOT NULL,
        last_seq integer NOT NULL,
        body text NOT NULL,
        CONSTRAINT pk_batch_run_log_search PRIMARY KEY (batch_run_id, first_seq),
        CONSTRAINT ck_batch_run_log_search_range CHECK (first_seq >= 1 AND last_seq >= first_seq)
      )`);
    if (await hasTrigrams(q)) {
      await q.query(`CREATE INDEX ix_batch_run_log_search_body ON batch_run_log_search USING gin (body gin_trgm_ops)`);
    }
    await q.query(`ALTER TABLE batch_run_history ADD COLUMN search_indexed_seq integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_history DROP COLUMN search_indexed_seq`);
    await q.query(`DROP TABLE batch_run_log_search`);
    await q.query(`DROP FUNCTION runlog_strip_ansi(text)`);
  }
}

async function hasTrigrams(q: QueryRunner): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops'`);
  return rows.length > 0;
}
