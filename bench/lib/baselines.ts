/**
 * The database's own limits on the same rows: COPY into a bare table of the entry table's shape
 * (same columns, primary key and checks; no events, no run row), a multi-row INSERT of 1000 rows per
 * transaction, and one transaction per line. Payloads are built before the clock starts, so these
 * measure PostgreSQL, not the client's formatting.
 */
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { nowMs } from './stats';
import { BareRow, copyText } from './workload';

export const BARE_TABLE = 'bench_bare_entries';

export async function createBareTable(pool: Pool): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${BARE_TABLE}`);
  await pool.query(`CREATE TABLE ${BARE_TABLE} (LIKE batch_run_log_entries INCLUDING ALL)`);
}

async function withClients<T>(pool: Pool, count: number, work: (clients: PoolClient[]) => Promise<T>): Promise<T> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  try {
    for (const c of clients) await c.query(`SET synchronous_commit = on`);
    return await work(clients);
  } finally {
    for (const c of clients) c.release();
  }
}

/** One COPY per producer, all producers at once. Returns elapsed ms. */
export async function copyBaseline(pool: Pool, perProducer: BareRow[][]): Promise<number> {
  const payloads = perProducer.map((rows) => Buffer.from(copyText(rows)));
  return withClients(pool, perProducer.length, async (clients) => {
    const start = nowMs();
    await Promise.all(
      clients.map((client, i) => {
        const sink = client.query(copyFrom(`COPY ${BARE_TABLE} (batch_run_id, seq, "timestamp", level, phase, message) FROM STDIN`));
        return pipeline(Readable.from([payloads[i]]), sink);
      }),
    );
    return nowMs() - start;
  });
}

const INSERT_MANY = {
  name: 'bench_insert_many',
  text: `INSERT INTO ${BARE_TABLE} (batch_run_id, seq, "timestamp", level, phase, message)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])`,
};

/** Multi-row INSERT of `batch` rows per transaction (autocommit statement), producers in parallel. */
export async function insertBatchesBaseline(pool: Pool, perProducer: BareRow[][], batch = 1000): Promise<number> {
  const chunks = perProducer.map((rows) => {
    const out: unknown[][] = [];
    for (let i = 0; i < rows.length; i += batch) {
      const part = rows.slice(i, i + batch);
      out.push([
        part.map((r) => r.batchRunId),
        part.map((r) => r.seq),
        part.map((r) => r.timestamp),
        part.map((r) => r.level),
        part.map((r) => r.phase),
        part.map((r) => r.message),
      ]);
    }
    return out;
  });
  return withClients(pool, perProducer.length, async (clients) => {
    const start = nowMs();
    await Promise.all(
      clients.map(async (client, i) => {
        for (const values of chunks[i]) await client.query({ ...INSERT_MANY, values });
      }),
    );
    return nowMs() - start;
  });
}

const INSERT_ONE = {
  name: 'bench_insert_one',
  text: `INSERT INTO ${BARE_TABLE} (batch_run_id, seq, "timestamp", level, phase, message) VALUES ($1, $2, $3, $4, $5, $6)`,
};

/** One transaction per line (autocommit INSERT of one row), producers in parallel. */
export async function perLineBaseline(pool: Pool, perProducer: BareRow[][]): Promise<number> {
  return withClients(pool, perProducer.length, async (clients) => {
    const start = nowMs();
    await Promise.all(
      clients.map(async (client, i) => {
        for (const r of perProducer[i]) {
          await client.query({ ...INSERT_ONE, values: [r.batchRunId, r.seq, r.timestamp, r.level, r.phase, r.message] });
        }
      }),
    );
    return nowMs() - start;
  });
}
