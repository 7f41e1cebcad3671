/**
 * Two runlog instances on one PostgreSQL (two full apps, each with its own group committer, read
 * cache and LISTEN connection): whatever one writes, the other serves completely — downloads in
 * every format, counts, live SSE tails — and never from a cache older than what was committed
 * elsewhere; concurrent appends to one run through both lose and duplicate no seq.
 */
import request from 'supertest';
import { setTimeout as sleep } from 'timers/promises';
import { connectSse, SseEvent } from '../support/sse-client';
import { httpRequest, randomInt, seededRandom } from '../support/producer';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const ENV = { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000' };
const TXT_ENTRY = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR)( \[[^\]]*\])? /;

interface Entry {
  seq: number;
  timestamp: string;
  level: string;
  phase: string | null;
  message: string;
}

const TEST_TIMEOUT_MS = 120_000;

describe('several instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let service: string;
  let admin: string;

  beforeAll(async () => {
    a = await startTestApp({ listen: true, env: ENV });
    b = await startTestApp({ db: a.db, listen: true, env: ENV });
    service = `Bearer ${await tokenFor('service')}`;
    admin = `Bearer ${await tokenFor('admin')}`;
  }, 120_000);

  afterAll(async () => {
    await b?.close(); // b shares a's database; a drops it
    await a?.close();
  }, 60_000);

  const startRun = async (via: TestApp, id: string, phases: string[] = []) =>
    request(via.baseUrl).post('/api/v1/batch/runs').set('Authorization', service).send({ batch_run_id: id, phases }).expect(201);

  /** Appends through an instance; returns the acknowledged last_seq. */
  const append = async (via: TestApp, id: string, entries: Array<{ level: string; message: string; seq?: number }>) => {
    const res = await request(via.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).send({ entries });
    expect(res.status === 201 ? 201 : `${res.status} ${JSON.stringify(res.body)}`).toBe(201);
    return res.body.last_seq as number;
  };

  const download = async (via: TestApp, id: string, format: 'json' | 'txt' | 'ndjson') => {
    const res = await httpRequest(`${via.baseUrl}/api/v1/admin/batch/history/${id}/logs?format=${format}`, { headers: { Authorization: admin } });
    expect(res.status).toBe(200);
    return res.body;
  };

  const json = async (via: TestApp, id: string) =>
    JSON.parse(await download(via, id, 'json')) as { status: string; source: string; entries: Entry[]; entry_count: number };

  const count = async (via: TestApp, id: string) => {
    const res = await request(via.baseUrl).get(`/api/v1/admin/batch/history/${id}/logs/count`).set('Authorization', admin).expect(200);
    return res.body.count as number;
  };

  it('a run written through A is downloadable (json, txt, ndjson), countable and live-tailable through B, nothing missing', async () => {
    const id = 'mi-written-by-a';
    await startRun(a, id, ['extract', 'load']);
    // B tails the run live from its start, while A writes it.
    const tail = await connectSse(`${b.baseUrl}/api/v1/admin/batch/history/${id}/events`, { Authorization: admin });
    expect(tail.status).toBe(200);
    const events: SseEvent[] = [];
    const collecting = (async () => {
      for (let e = await tail.next(30_000); e; e = await tail.next(30_000)) events.push(e);
    })();

    const random = seededRandom(11);
    const sent: Array<{ level: string; message: string }> = [];
    for (let batch = 1; batch <= 40; batch += 1) {
      const entries = Array.from({ length: randomInt(random, 1, 25) }, (_, i) => ({
        seq: sent.length + i + 1,
        level: ['info', 'warning', 'error'][randomInt(random, 0, 2)],
        message: `A batch ${batch} line ${i} ünïcödé ${'x'.repeat(randomInt(random, 0, 200))}`,
      }));
      await append(a, id, entries);
      sent.push(...entries.map(({ level, message }) => ({ level, message })));
      if (batch === 20) await request(a.baseUrl).post(`/api/v1/batch/runs/${id}/phases/extract/complete`).set('Authorization', service).send({}).expect(200);
      if (batch % 10 === 0) await sleep(20); // let some events reach B's tail live, not only as a replay
    }
    await request(a.baseUrl).post(`/api/v1/batch/runs/${id}/finish`).set('Authorization', service).send({ status: 'completed' }).expect(200);
    await collecting; // B's stream ends by itself after BatchRunFinished
    tail.close();
    const n = sent.length;

    // The live tail through B: every event in version order, every entry once.
    const versions = events.map((e) => Number(e.id));
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(events[0].event).toBe('BatchRunStarted');
    expect(events[events.length - 1].event).toBe('BatchRunFinished');
    const tailed = events.filter((e) => e.event === 'LogAppended').flatMap((e) => JSON.parse(e.data).data.entries as Entry[]);
    expect(tailed.map((e) => e.seq)).toEqual(range(1, n));
    expect(tailed.map(({ level, message }) => ({ level, message }))).toEqual(sent);

    // Downloads and count through B.
    const viaB = await json(b, id);
    expect(viaB.status).toBe('completed');
    expect(viaB.entry_count).toBe(n);
    expect(viaB.entries.map(({ level, message }) => ({ level, message }))).toEqual(sent);
    expect(viaB.entries.map((e) => e.seq)).toEqual(range(1, n));
    expect(viaB.source).toBe('snapshot'); // B wrote nothing of it, so nothing is in its cache; the finish wrote the snapshot
    expect(await json(a, id)).toEqual({ ...viaB, source: 'memory' }); // the writer serves the same log from memory

    const ndjson = (await download(b, id, 'ndjson')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);
    expect(ndjson).toEqual(viaB.entries);
    const txt = await download(b, id, 'txt');
    expect(txt).toContain(`Entries:     ${n}\n`);
    expect(txt.split('\n').filter((line) => TXT_ENTRY.test(line))).toHaveLength(n);
    expect(await count(b, id)).toBe(n);
  }, TEST_TIMEOUT_MS);

  it("B's read cache never serves a log older than what A committed, and vice versa", async () => {
    // A writes, B reads right after each acknowledged write.
    const id = 'mi-interleaved';
    await startRun(a, id);
    let last = 0;
    for (let i = 1; i <= 30; i += 1) {
      const size = 1 + (i % 7);
      last = await append(a, id, Array.from({ length: size }, (_, k) => ({ level: 'info', message: `A ${i}.${k}`, seq: last + k + 1 })));
      const [viaB, counted] = await Promise.all([json(b, id), count(b, id)]);
      expect(viaB.entry_count).toBe(last);
      expect(counted).toBe(last);
      expect(viaB.entries[last - 1]).toMatchObject({ seq: last, message: `A ${i}.${size - 1}` });
    }

    // B starts a run and writes to it, so B has it in its cache; then A appends to it.
    const mixed = 'mi-started-by-b';
    await startRun(b, mixed);
    await append(b, mixed, [1, 2, 3].map((seq) => ({ level: 'info', message: `B ${seq}`, seq })));
    const fromCache = await json(b, mixed);
    expect(fromCache.source).toBe('memory');
    expect(fromCache.entries.map((e) => e.message)).toEqual(['B 1', 'B 2', 'B 3']);

    await append(a, mixed, [4, 5].map((seq) => ({ level: 'warning', message: `A ${seq}`, seq })));
    const afterA = await json(b, mixed);
    expect(afterA.source).not.toBe('memory'); // B's cache lacks A's entries: the database serves the read
    expect(afterA.entries.map((e) => `${e.seq} ${e.message}`)).toEqual(['1 B 1', '2 B 2', '3 B 3', '4 A 4', '5 A 5']);
    expect(await count(b, mixed)).toBe(5);

    // B writes again (no seq: the next one), then each reads after the other's write.
    await append(b, mixed, [{ level: 'info', message: 'B 6' }]);
    await append(a, mixed, [{ level: 'info', message: 'A 7' }]);
    for (const via of [a, b]) {
      const log = await json(via, mixed);
      expect(log.entries.map((e) => `${e.seq} ${e.message}`)).toEqual(['1 B 1', '2 B 2', '3 B 3', '4 A 4', '5 A 5', '6 B 6', '7 A 7']);
      expect(await count(via, mixed)).toBe(7);
    }
  }, TEST_TIMEOUT_MS);

  it('a producer with explicit seqs whose batches alternate between A and B (round-robin) gets every batch stored', async () => {
    // Each instance must decide the next seq from what the other committed, not from what it last wrote itself.
    const id = 'mi-round-robin';
    await startRun(a, id);
    const expected: string[] = [];
    let seq = 0;
    for (let i = 0; i < 12; i += 1) {
      const writer = i % 2 === 0 ? a : b;
      const name = writer === a ? 'A' : 'B';
      const entries = [1, 2, 3].map(() => ({ level: 'info', message: `${name} ${++seq}`, seq }));
      expect(await append(writer, id, entries)).toBe(seq);
      expected.push(...entries.map((e) => `${e.seq} ${e.message}`));
      // A retry of the same batch (its answer lost) stores nothing again.
      const retry = await request(writer.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).send({ entries });
      expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: { appended: 0, last_seq: seq } });
      for (const via of [a, b]) expect((await json(via, id)).entries.map((e) => `${e.seq} ${e.message}`)).toEqual(expected);
    }
    // And through the other instance too: the first batch, sent again to both, stores nothing.
    const first = [1, 2, 3].map((n) => ({ level: 'info', message: `A ${n}`, seq: n }));
    for (const via of [a, b]) {
      const retry = await request(via.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).send({ entries: first });
      expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: { appended: 0, last_seq: seq } });
    }
    expect(await count(b, id)).toBe(seq);
  }, TEST_TIMEOUT_MS);

  it('concurrent appends to one run through both instances lose and duplicate no seq', async () => {
    const id = 'mi-concurrent';
    await startRun(a, id);
    const random = seededRandom(7);
    const clients = 8; // 4 on A, 4 on B, all at once
    const batches = 25;
    const sent = new Map<number, string[]>();
    const statuses: number[] = [];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const via = c % 2 === 0 ? a : b;
        const mine: string[] = [];
        sent.set(c, mine);
        for (let k = 0; k < batches; k += 1) {
          const entries = Array.from({ length: randomInt(random, 1, 10) }, (_, i) => ({ level: 'info', message: `client ${c} batch ${k} entry ${i}` }));
          const res = await httpRequest(`${via.baseUrl}/api/v1/batch/runs/${id}/logs`, {
            method: 'POST',
            headers: { Authorization: service },
            body: { entries },
          });
          statuses.push(res.status);
          if (res.status !== 201 && failures.length < 3) failures.push(`${res.status} ${res.body.slice(0, 200)}`);
          if (res.status === 201) mine.push(...entries.map((e) => e.message));
        }
      }),
    );
    expect({ refused: statuses.filter((s) => s !== 201).length, first: failures }).toEqual({ refused: 0, first: [] });
    const total = [...sent.values()].reduce((n, m) => n + m.length, 0);

    for (const via of [a, b]) {
      const log = await json(via, id);
      expect(log.entry_count).toBe(total);
      expect(log.entries.map((e) => e.seq)).toEqual(range(1, total));
      const messages = log.entries.map((e) => e.message);
      expect(new Set(messages).size).toBe(total); // none twice
      for (const [c, mine] of sent) {
        // Each client's entries are all there, in the order it sent them.
        expect(messages.filter((m) => m.startsWith(`client ${c} `))).toEqual(mine);
      }
      expect(await count(via, id)).toBe(total);
    }
    const { rows } = await a.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, min(seq) AS lo, max(seq) AS hi FROM batch_run_log_entries WHERE batch_run_id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ n: total, d: total, lo: 1, hi: total });
  }, TEST_TIMEOUT_MS);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
