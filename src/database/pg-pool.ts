/**
 * The pg pool the write path and the streaming reads use. TypeORM keeps its own small pool for
 * migrations and entity reads; the hot path talks to pg directly so it can use named prepared
 * statements, cursors (pg-query-stream) and LISTEN.
 */
import { Pool, types } from 'pg';

export const PG_POOL = Symbol('PG_POOL');
/** The database URL itself, for what needs a connection of its own (LISTEN). */
export const DATABASE_URL = Symbol('DATABASE_URL');

// int8 (count(*), bigserial positions) as JS numbers: positions stay far below 2^53.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export function createPgPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: 'runlog', connectionTimeoutMillis: 10_000 });
  // A client losing its connection (database restart) must not crash the process: idle clients
  // report to the pool, checked-out ones to themselves. The query in flight still gets the error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
