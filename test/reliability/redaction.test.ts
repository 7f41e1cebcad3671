/** Secrets in batch lines are masked before storage: in no table, no event and no download. */
import request from 'supertest';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { startTestApp, tokenFor } from '../support/test-app';

const SECRETS = {
  url: 'postgres://batch:Sup3rS3cret@db.internal:5432/prod',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA',
  aws: 'AKIAZZZZZZZZZZZZZZZZ',
  bearer: 'Bearer abc123.secret-token',
  custom: 'ticket-9f8e7d6c',
};
const NEEDLES = ['Sup3rS3cret', 'c2lnbmF0dXJlLXNlY3JldA', 'AKIAZZZZZZZZZZZZZZZZ', 'abc123.secret-token', '9f8e7d6c'];

describe('secret masking', () => {
  it('masks default and configured patterns in the event, the entry and the snapshot, and in every download', async () => {
    const patterns = JSON.stringify(['ticket-[0-9a-f]{8}']); // added to the defaults
    const t = await startTestApp({ listen: true, env: { REDACT_PATTERNS: patterns } });
    const t2 = await startTestApp({ db: t.db, listen: true });
    try {
      const service = `Bearer ${await tokenFor('service')}`;
      const admin = `Bearer ${await tokenFor('admin')}`;
      await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', service).send({ batch_run_id: 'leaky', phases: ['Load'] }).expect(201);
      await request(t.baseUrl)
        .post('/api/v1/batch/runs/leaky/logs')
        .set('Authorization', service)
        .send({ entries: Object.values(SECRETS).map((s) => ({ level: 'error', message: `connecting with ${s} failed`, phase: 'Load' })) })
        .expect(201);
      await request(t.baseUrl).post('/api/v1/batch/runs/leaky/phases/Load/complete').set('Authorization', service).send({}).expect(200);

      const dump = await t.pool.query(`
        SELECT (SELECT string_agg(payload::text, '') FROM batch_run_events) AS events,
               (SELECT string_agg(message, '') FROM batch_run_log_entries) AS entries,
               (SELECT string_agg(activity_log::text, '') FROM batch_run_history) AS snapshot`);
      const downloads: string[] = [];
      for (const app of [t, t2]) {
        for (const format of ['json', 'txt', 'ndjson']) {
          const res = await request(app.baseUrl).get(`/api/v1/admin/batch/history/leaky/logs?format=${format}`).set('Authorization', admin).buffer(true).parse((r, cb) => {
            let body = '';
            r.on('data', (c: Buffer) => (body += c.toString()));
            r.on('end', () => cb(null, body));
          });
          downloads.push(res.body as string);
        }
      }
      const everywhere = [dump.rows[0].events, dump.rows[0].entries, dump.rows[0].snapshot, ...downloads];
      for (const text of everywhere) {
        expect(text).toContain('***');
        for (const needle of NEEDLES) expect(text).not.toContain(needle);
      }
      expect(dump.rows[0].entries).toContain('connecting with postgres://batch:***@db.internal:5432/prod failed');
    } finally {
      await t2.close();
      await t.close();
    }
  });

  it('masks what the in-process orchestrator logs too', async () => {
    const t = await startTestApp();
    try {
      const outcome = await t.orchestrator.run({
        name: 'leaky-job',
        phases: [{ name: 'Connect', jobs: [{ name: 'connect', run: async (ctx) => ctx.warn(`retrying ${SECRETS.url}`) }] }],
      });
      const log = (await t.reader.readAll(outcome.batchRunId))!;
      expect(log.entries.map((e) => e.message).join('\n')).not.toContain('Sup3rS3cret');
    } finally {
      await t.close();
    }
  });

  it('a demo run is left as it is (no false positives in ordinary lines)', async () => {
    const t = await startTestApp();
    try {
      const outcome = await t.orchestrator.run(portfolioOnboardingBatch({ seconds: 0, seed: 'plain' }));
      const log = (await t.reader.readAll(outcome.batchRunId))!;
      expect(log.entries.some((e) => e.message.includes('***'))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
