/**
 * A run whose writer died does not stay "running" for ever: its lease expires and another instance
 * (or the next start) finishes it as failed, with an error entry saying it was interrupted and when.
 */
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { LeaseSweeper } from '../../src/batch-runs/leases/lease-sweeper';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, tokenFor } from '../support/test-app';

const LEASE = { RUN_LEASE_SECONDS: '1' };

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('run leases', () => {
  it('another instance finishes a run whose writer died, as failed, with an error entry saying why', async () => {
    const db = await createTestDatabase();
    try {
      const writer = await startTestApp({ db, env: LEASE });
      await writer.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'orphan', phases: ['Only'] }));
      await writer.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'orphan', entries: [{ level: 'info', message: 'working', phase: 'Only' }] }));
      await writer.close(); // the writer is gone without finishing the run

      const survivor = await startTestApp({ db, env: LEASE });
      try {
        const run = await waitFor(async () => {
          const r = await survivor.reader.findRun('orphan');
          return r?.status === 'failed' ? r : null;
        });
        expect(run.completedAt).not.toBeNull();
        const log = (await survivor.reader.readAll('orphan'))!;
        expect(log.entries.map((e) => e.message)[0]).toBe('working');
        const last = log.entries[log.entries.length - 1];
        expect(last).toMatchObject({ seq: 2, level: 'error', phase: 'Only' });
        expect(last.message).toMatch(/^run interrupted: .* lease expired at \d{4}-\d\d-\d\dT[\d:.]+Z .* finished as failed/);
        const leases = await survivor.pool.query(`SELECT count(*)::int AS n FROM batch_run_leases`);
        expect(leases.rows[0].n).toBe(0); // a finished run holds no lease
      } finally {
        await survivor.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('does not touch a run whose writer is alive but quiet (orchestrator heartbeat)', async () => {
    const t = await startTestApp({ env: LEASE });
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const started = await t.orchestrator.start({
        name: 'quiet',
        phases: [{ name: 'Wait', jobs: [{ name: 'sleepy', run: () => gate }] }],
      });
      await new Promise((r) => setTimeout(r, 3000)); // three leases long, with no line written
      expect(await t.app.get(LeaseSweeper).sweep()).toBe(0);
      expect((await t.reader.findRun(started.batchRunId))!.status).toBe('running');
      release();
      expect((await started.done).status).toBe('completed');
    } finally {
      await t.close();
    }
  });

  it('an HTTP producer keeps a quiet run alive with heartbeats; 404 and 409 otherwise', async () => {
    const t = await startTestApp({ env: LEASE, listen: true });
    try {
      const auth = `Bearer ${await tokenFor('service')}`;
      await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', auth).send({ batch_run_id: 'beating' }).expect(201);
      for (let i = 0; i < 6; i += 1) {
        await new Promise((r) => setTimeout(r, 400));
        const res = await request(t.baseUrl).post('/api/v1/batch/runs/beating/heartbeat').set('Authorization', auth).expect(200);
        expect(res.body).toEqual({ batch_run_id: 'beating', lease_seconds: 1 });
        await t.app.get(LeaseSweeper).sweep();
      }
      expect((await t.reader.findRun('beating'))!.status).toBe('running');
      await request(t.baseUrl).post('/api/v1/batch/runs/nope/heartbeat').set('Authorization', auth).expect(404);
      await request(t.baseUrl).post('/api/v1/batch/runs/beating/finish').set('Authorization', auth).send({ status: 'completed' }).expect(200);
      await request(t.baseUrl).post('/api/v1/batch/runs/beating/heartbeat').set('Authorization', auth).expect(409);
    } finally {
      await t.close();
    }
  });
});
