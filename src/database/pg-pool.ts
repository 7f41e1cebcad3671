/**
 * The pg pool the write path and the streaming reads use. TypeORM keeps its own small pool for
 * migrations and entity reads; the hot path talks to pg directly so it can use named prepared
 * statements and LISTEN.
 */
import { Pool, types } from 'pg';

export const PG_POOL = Symbol('PG_POOL');
/**
 * A second, small pool for what reads on behalf of a client that may be slow: downloads, timelines
 * and event streams. They take a connection for one page at a time, never while waiting for the
 * client, and however many of them run, the write path keeps all of PG_POOL.
 */
export const PG_READ_POOL = Symbol('PG_READ_POOL');
/** The database URL itself, for what needs a connection of its own (LISTEN). */
export const DATABASE_URL = Symbol('DATABASE_URL');

// int8 (count(*), bigserial positions) as JS numbers: positions stay far below 2^53.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export function createPgPool(url: string, max = 10, applicationName = 'runlog'): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  // A client losing its connection (database restart) must not crash the process: idle clients
  // report to the pool, checked-out ones to themselves. The query in flight still gets the error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
