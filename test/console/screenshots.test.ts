/**
 * Regenerates the README's screenshots (1366x768) of the console with realistic data: the demo
 * onboarding batch for a few portfolios, a failed and a partial nightly import, and a run still going.
 *
 *   UPDATE_SCREENSHOTS=1 npx jest test/console/screenshots
 *
 * Skipped otherwise (it rewrites docs/img/*.png). SCREENSHOT_DIR writes them elsewhere. The app's clock
 * runs 30 times faster than real time, so runs of a few seconds here read as runs of a few minutes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { Clock } from '../../src/common/clock';
import { describeWithBrowser, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { demoRun, failedRun, partialRun } from '../support/console-data';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const wanted = process.env.UPDATE_SCREENSHOTS === '1';
const outDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(__dirname, '..', '..', 'docs', 'img'));

/** Starts `behindMs` in the past and runs `factor` times faster than real time, until settled. */
class FastClock extends Clock {
  private readonly realStart = Date.now();
  private settledBehindMs: number | null = null;
  private last = 0;
  constructor(private readonly behindMs: number, private readonly factor: number) {
    super();
  }
  /** From now on: real time, `behindMs` late (never going back). */
  settle(behindMs: number): void {
    this.settledBehindMs = behindMs;
  }
  now(): Date {
    const fast = this.realStart - this.behindMs + (Date.now() - this.realStart) * this.factor;
    const t = this.settledBehindMs === null ? fast : Date.now() - this.settledBehindMs;
    this.last = Math.max(this.last, t);
    return new Date(this.last);
  }
}

(wanted ? describeWithBrowser : describe.skip)('console screenshots (docs/img)', () => {
  let t: TestApp;
  let tb: TestBrowser;
  let demoId: string;

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    const clock = new FastClock(45 * 60_000, 30);
    t = await startTestApp({ listen: true, clock });
    tb = await launchBrowser();
    await demoRun(t, 4, '3a7d9c21-5e8b-4f10-9c6d-2b4e8f1a0d77');
    await failedRun(t, '0b8e5a3c-2d41-4f6a-8c9e-7a1b2c3d4e5f', undefined, 800);
    await demoRun(t, 2, '9e2f4b6a-1c3d-4e5f-8a7b-6c5d4e3f2a10');
    await partialRun(t, '7d1e3f5a-9b2c-4d6e-8f0a-1b3c5d7e9f21', 600);
    demoId = await demoRun(t, 6, '6f1c2a9e-4b7d-4c1e-9a51-3d2f8e7b0c11');
    await demoRun(t, 3, '3a7d9c21-5e8b-4f10-9c6d-2b4e8f1a0d77');
    // One still running, started a few minutes ago: its first phase under way.
    clock.settle(4 * 60_000);
    await t.commandBus.execute(new StartBatchRunCommand({
      batchRunId: 'nightly_analytics_20260111', portfolioId: 'c4d5e6f7-0a1b-4c2d-9e3f-5a6b7c8d9e0f', ownerId: 'ops',
      totalJobs: 6, phases: ['Extract', 'Transform', 'Aggregate', 'Publish'],
    }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'nightly_analytics_20260111', entries: [
      { level: 'info', message: 'Extracting 4 sources (positions, trades, prices, fx)', phase: 'Extract' },
      { level: 'info', message: 'positions: 48,210 rows', phase: 'Extract' },
    ] }));
  }, 180_000);

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  it('runs list, run details and timeline at 1366x768', async () => {
    const { page, errors } = await tb.newPage();
    await presetToken(page, await tokenFor('admin', 'admin-local', '12h'));
    await page.goto(`${t.baseUrl}/admin#/runs`);
    await page.locator('table.runs tbody tr[data-run-id]').nth(6).waitFor();
    await page.locator('#main').focus();
    await page.screenshot({ path: path.join(outDir, 'runs-list.png') });

    await page.locator(`a.run-link:text-is("${demoId}")`).click();
    await page.locator('#log-count[data-count]').waitFor();
    await page.locator('.phases tbody tr').nth(7).waitFor();
    await page.screenshot({ path: path.join(outDir, 'run-details.png') });

    await page.locator('#tab-timeline').click();
    await page.locator('#player-status[data-state="end"]').waitFor();
    // Paused part-way through a replay: the cursor, a phase under way, the log so far.
    const total = Number(/of (\d+)/.exec((await page.locator('#player-event').textContent()) ?? '')?.[1] ?? 0);
    await page.locator('#to-start').click();
    for (let i = 0; i < Math.round(total * 0.6); i += 1) await page.locator('#next-event').click();
    await page.locator('#scrubber').evaluate((input: HTMLInputElement) => {
      input.value = String(Number(input.value) + Number(input.step) * 70);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator('#player-status[data-state="paused"]').waitFor();
    await page.waitForTimeout(500); // the ?at= answer
    await page.evaluate(() => window.scrollTo(0, document.querySelector('.crumbs')!.getBoundingClientRect().top + window.scrollY - 6));
    await page.screenshot({ path: path.join(outDir, 'timeline.png') });
    expect(errors).toEqual([]);
  });

  it('search across runs at 1366x768', async () => {
    const { page, errors } = await tb.newPage();
    await presetToken(page, await tokenFor('admin', 'admin-local', '12h'));
    await page.goto(`${t.baseUrl}/admin#/search?q=rows`);
    await page.locator('#search-summary[data-runs]').waitFor();
    await page.locator('#main').focus();
    await page.screenshot({ path: path.join(outDir, 'search.png') });
    expect(errors).toEqual([]);
  });

  it('compare with the last successful run at 1366x768', async () => {
    // Two nightly imports of one portfolio: the good one yesterday, today's failing in Load.
    const portfolioId = 'e2a4c6d8-1b3f-4a5c-8d7e-9f0a1b2c3d4e';
    const nightly = async (batchRunId: string, lines: Array<[string, 'info' | 'warning' | 'error', string]>, failedPhase: string | null) => {
      const phases = ['Extract', 'Transform', 'Load'];
      await t.commandBus.execute(new StartBatchRunCommand({ batchRunId, portfolioId, ownerId: 'ops', totalJobs: 3, phases }));
      for (const phase of phases) {
        const entries = lines.filter(([p]) => p === phase).map(([, level, message]) => ({ level, message, phase }));
        if (entries.length) await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries }));
        await new Promise((resolve) => setTimeout(resolve, 150));
        await t.commandBus.execute(new CompletePhaseCommand({ batchRunId, phase, status: phase === failedPhase ? 'failed' : 'completed', completedJobs: phase === failedPhase ? 0 : 1, failedJobs: phase === failedPhase ? 1 : 0 }));
      }
      await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId, status: failedPhase ? 'failed' : 'completed', completedJobs: failedPhase ? 2 : 3, failedJobs: failedPhase ? 1 : 0 }));
    };
    const common = (rows: string, ms: number, batch: string): Array<[string, 'info' | 'warning' | 'error', string]> => [
      ['Extract', 'info', `Extract started, batch ${batch}`],
      ['Extract', 'info', `positions: ${rows} rows in ${ms} ms`],
      ['Extract', 'info', `trades: ${Math.round(ms * 7.3)} rows in ${Math.round(ms / 3)} ms`],
      ['Transform', 'info', `\u001b[32mvalidated\u001b[0m ${rows} rows`],
      ['Transform', 'info', 'currency conversion: 14 currencies'],
      ['Load', 'info', `connecting to warehouse-2:5432 (session ${batch.slice(0, 8)})`],
    ];
    await nightly('nightly_import_20260110', [
      ...common('48,210', 812, '3f2a9c1d7b42'),
      ['Load', 'info', 'loaded 48,210 rows into positions_daily'],
      ['Load', 'info', 'vacuum analyse: done in 2.4 s'],
    ], null);
    await nightly('nightly_import_20260111', [
      ...common('48,377', 790, '8e41bb02c9d1'),
      ['Transform', 'warning', '3 rows without a trade date, skipped'],
      ['Load', 'warning', 'retrying batch 1 of 3 after 500 ms'],
      ['Load', 'error', '\u001b[31;1mconnection reset by peer\u001b[0m (warehouse-2:5432)'],
      ['Load', 'error', 'Load failed: 0 of 48,377 rows written'],
    ], 'Load');

    const { page, errors } = await tb.newPage();
    await presetToken(page, await tokenFor('admin', 'admin-local', '12h'));
    await page.goto(`${t.baseUrl}/admin#/runs/nightly_import_20260111`);
    await page.locator('#compare-last').click();
    await page.locator('#compare-summary').waitFor();
    await page.locator('#main').focus();
    await page.screenshot({ path: path.join(outDir, 'compare.png') });
    expect(errors).toEqual([]);
  });
});
