/**
 * The peer, in a process of its own (its driver layer changes pg's type parsers process-wide):
 * the same ingestion (8 producers, batches of 100 and of 1, each append one LogAppended event with
 * the entries, as runlog stores them) and a full read-back of a 5,000-entry stream, with
 * @event-driven-io/emmett-postgresql on the benchmark's database. Prints one JSON line.
 */
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { benchLines } from './lib/workload';

interface Args {
  url: string;
  rounds: number;
  producers: number;
  configs: Array<{ batch: number; appends: number }>;
  readEntries: number;
  readSamples: number;
}

type LogEntry = { seq: number; timestamp: string; level: string; phase: string | null; message: string };
type LogAppended = { type: 'LogAppended'; data: { firstSeq: number; lastSeq: number; entries: LogEntry[] } };

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function event(offset: number, count: number, firstSeq: number): LogAppended {
  const timestamp = new Date().toISOString();
  const entries = benchLines(count, offset).map((l, k) => ({ seq: firstSeq + k, timestamp, level: l.level, phase: l.phase, message: l.message }));
  return { type: 'LogAppended', data: { firstSeq, lastSeq: firstSeq + count - 1, entries } };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.env.BENCH_EMMETT_ARGS ?? '{}') as Args;
  const store = getPostgreSQLEventStore(args.url, { schema: { autoMigration: 'CreateOrUpdate' } });
  await store.schema.migrate();
  const rates: Record<string, number[]> = {};
  const tag = Date.now().toString(36);
  for (let r = 0; r < args.rounds; r++) {
    for (const cfg of args.configs) {
      const events = Array.from({ length: args.producers }, (_, p) =>
        Array.from({ length: cfg.appends }, (_, k) => event((p * cfg.appends + k) * cfg.batch, cfg.batch, k * cfg.batch + 1)),
      );
      const start = now();
      await Promise.all(
        events.map(async (list, p) => {
          const stream = `batchrun-${tag}-r${r}-b${cfg.batch}-p${p}`;
          for (const e of list) await store.appendToStream<LogAppended>(stream, [e]);
        }),
      );
      const ms = now() - start;
      (rates[`b${cfg.batch}`] ??= []).push((args.producers * cfg.appends * cfg.batch * 1000) / ms);
    }
  }
  // Read-back: a 5,000-entry stream written in events of 100 entries, read whole and flattened.
  const readStream = `batchrun-${tag}-read`;
  for (let i = 0; i < args.readEntries; i += 100) await store.appendToStream<LogAppended>(readStream, [event(i, 100, i + 1)]);
  const reads: number[] = [];
  for (let i = 0; i < args.readSamples + 3; i++) {
    const start = now();
    const result = await store.readStream<LogAppended>(readStream);
    const entries: LogEntry[] = [];
    for (const e of result.events) for (const entry of e.data.entries) entries.push(entry);
    const ms = now() - start;
    if (entries.length !== args.readEntries) throw new Error(`read back ${entries.length} entries`);
    if (i >= 3) reads.push(ms);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ rates, reads })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
