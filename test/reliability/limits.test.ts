/**
 * Memory and size limits: the read cache stays within LOG_CACHE_MAX_BYTES however much is written,
 * and a run past MAX_ENTRIES_PER_RUN keeps a marked, counted log instead of growing for ever.
 */
import request from 'supertest';
import * as v8 from 'v8';
import * as vm from 'vm';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, tokenFor } from '../support/test-app';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

describe('limits', () => {
  jest.setTimeout(120_000);

  it('the read cache stays within LOG_CACHE_MAX_BYTES while far more is written, and memory stays flat', async () => {
    const bound = 4 * 2 ** 20;
    const t = await startTestApp({ env: { LOG_CACHE_MAX_BYTES: String(bound) } });
    try {
      const message = 'x'.repeat(1500); // ~3 KB per cached entry (UTF-16)
      const baseline = heapMiB();
      let peak = 0;
      for (let run = 0; run < 20; run += 1) {
        const id = `fill-${run}`;
        await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }));
        for (let batch = 0; batch < 2; batch += 1) {
          // Distinct strings, so nothing is shared between entries: 20 x 1000 x ~3 KB = ~60 MB if all were kept.
          const entries = Array.from({ length: 500 }, (_, i) => ({ level: 'info', message: `${run}:${batch}:${i} ${message}` }));
          await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries }));
        }
        if (run % 2 === 0) await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'completed' }));
        expect(t.tracker.bytes).toBeLessThanOrEqual(bound);
        if (run % 4 === 3) peak = Math.max(peak, heapMiB() - baseline);
      }
      expect(peak).toBeLessThan(24); // vs ~60 MB had every log been kept
      // Evicted logs are still complete, from the database.
      const first = (await t.reader.readAll('fill-0'))!;
      expect(first.source).not.toBe('memory');
      expect(first.entries).toHaveLength(1000);
    } finally {
      await t.close();
    }
  });

  it('past MAX_ENTRIES_PER_RUN entries are counted in dropped_entries and one warning marks the cut', async () => {
    const t = await startTestApp({ listen: true, env: { MAX_ENTRIES_PER_RUN: '50' } });
    try {
      const service = `Bearer ${await tokenFor('service')}`;
      const admin = `Bearer ${await tokenFor('admin')}`;
      await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', service).send({ batch_run_id: 'capped' }).expect(201);
      const entries = Array.from({ length: 40 }, (_, i) => ({ level: 'info', message: `line ${i + 1}` }));
      expect((await request(t.baseUrl).post('/api/v1/batch/runs/capped/logs').set('Authorization', service).send({ entries }).expect(201)).body).toEqual({ appended: 40, last_seq: 40 });
      const more = await request(t.baseUrl).post('/api/v1/batch/runs/capped/logs').set('Authorization', service).send({ entries }).expect(201);
      expect(more.body).toEqual({ appended: 10, last_seq: 50 }); // 9 lines + the warning that marks the cut
      await request(t.baseUrl).post('/api/v1/batch/runs/capped/logs').set('Authorization', service).send({ entries: entries.slice(0, 5) }).expect(201);

      const details = await request(t.baseUrl).get('/api/v1/admin/batch/history/capped').set('Authorization', admin).expect(200);
      expect(details.body).toMatchObject({ dropped_entries: 31 + 5, log_entry_count: 50 });
      const log = await request(t.baseUrl).get('/api/v1/admin/batch/history/capped/logs?format=json').set('Authorization', admin).expect(200);
      expect(log.body.dropped_entries).toBe(36);
      const last = log.body.entries[49];
      expect(last).toMatchObject({ seq: 50, level: 'warning' });
      expect(last.message).toContain('log cut at 50 entries');
      expect(log.body.entries[48].message).toBe('line 9');
    } finally {
      await t.close();
    }
  });
});
