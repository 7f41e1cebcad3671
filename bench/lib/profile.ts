/**
 * What limits a missed target, measured in the benchmark process itself: a V8 CPU profile of the
 * work (node:inspector, the same data as `node --cpu-prof`) summarised by self time, and the time
 * spent per SQL statement (named prepared statements by name), from call to result.
 */
import { Session } from 'inspector';
import { Client } from 'pg';
import { summarise } from '../profile-summary';

export async function withCpuProfile<T>(work: () => Promise<T>, top = 12): Promise<{ value: T; summary: string }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  let value: T;
  try {
    value = await work();
  } finally {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    (withCpuProfile as any).last = profile;
  }
  return { value, summary: summarise((withCpuProfile as any).last, top) };
}

export interface StatementTimes {
  [name: string]: { count: number; ms: number };
}

/** Times every query issued through pg Clients while `work` runs, grouped by statement name (or text). */
export async function withStatementTimes<T>(work: () => Promise<T>): Promise<{ value: T; times: StatementTimes }> {
  const times: StatementTimes = {};
  const proto = Client.prototype as any;
  const original = proto.query;
  proto.query = function (config: any, values?: any, callback?: any) {
    const name: string =
      typeof config === 'string' ? config.trim().split(/\s+/)[0] : config?.name ?? (typeof config?.text === 'string' ? config.text.trim().slice(0, 40) : 'cursor');
    const start = process.hrtime.bigint();
    const record = () => {
      const t = (times[name] ??= { count: 0, ms: 0 });
      t.count += 1;
      t.ms += Number(process.hrtime.bigint() - start) / 1e6;
    };
    // pg-pool's pool.query passes a callback (as values, or after them): time that call by its callback.
    if (typeof values === 'function' || typeof callback === 'function') {
      const done = typeof values === 'function' ? values : callback;
      const timed = (error: unknown, result: unknown) => {
        if (!error) record();
        done(error, result);
      };
      return typeof values === 'function' ? original.call(this, config, timed) : original.call(this, config, values, timed);
    }
    const result = original.call(this, config, values, callback);
    if (result && typeof result.then === 'function') result.then(record, () => undefined);
    return result;
  };
  try {
    return { value: await work(), times };
  } finally {
    proto.query = original;
  }
}

export function statementSummary(times: StatementTimes, per: number, perLabel: string): string {
  const rows = Object.entries(times).sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((n, [, t]) => n + t.ms, 0);
  return [
    `Time in SQL statements, from the call to the result (${(total / per).toFixed(2)} ms per ${perLabel} in all):`,
    `  ${'per call'.padStart(9)}  ${'calls'.padStart(5)}  ${'share'.padStart(5)}  statement`,
    ...rows.map(([name, t]) => `  ${`${(t.ms / t.count).toFixed(2)} ms`.padStart(9)}  ${String(t.count).padStart(5)}  ${`${((t.ms / total) * 100).toFixed(0)}%`.padStart(5)}  ${name}`),
  ].join('\n');
}
