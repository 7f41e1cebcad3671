/**
 * The console's Compare tab in a real headless Chromium: the run page's "Compare with last successful
 * run" leads to the comparison with the last completed run of the portfolio, the phases side by side
 * (a failed phase against a completed one), the lines only in one run or the other (ANSI colour shown,
 * markup only ever text), each linking to its line in its own run's log; another run named in the form;
 * no comparable run said in words.
 */
import { describeWithBrowser, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { bearer, EntryBody, Ingest, uuid } from '../api/api-helpers';

describeWithBrowser('admin console: compare a run with another', () => {
  let t: TestApp;
  let tb: TestBrowser;
  let ingest: Ingest;
  const portfolio = uuid();

  async function run(id: string, portfolioId: string, phases: Array<[string, EntryBody[], 'completed' | 'failed']>, status: string) {
    await ingest.start({ batch_run_id: id, portfolio_id: portfolioId, phases: phases.map(([name]) => name) });
    for (const [name, entries, phaseStatus] of phases) {
      if (entries.length) await ingest.append(id, entries);
      await ingest.completePhase(id, name, { status: phaseStatus });
    }
    await ingest.finish(id, status);
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tb = await launchBrowser();
    ingest = new Ingest(t, await bearer('service', 'producer'));
    const extract = (rows: number, ms: number): EntryBody[] => [
      { level: 'info', phase: 'extract', message: `fetched ${rows} rows in ${ms}ms` },
      { level: 'info', phase: 'extract', message: 'job alpha done' },
    ];
    await run('cmp-old', portfolio, [['extract', extract(1000, 700), 'completed']], 'completed');
    await run('cmp-good', portfolio, [
      ['extract', extract(1204, 812), 'completed'],
      ['load', [{ level: 'info', phase: 'load', message: 'loaded 1204 rows' }, { level: 'info', phase: 'load', message: 'vacuum done' }], 'completed'],
    ], 'completed');
    await run('cmp-bad', portfolio, [
      ['extract', extract(1187, 790), 'completed'],
      ['load', [
        { level: 'info', phase: 'load', message: 'loaded 1187 rows' },
        { level: 'error', phase: 'load', message: '\u001b[31;1mconnection reset\u001b[0m by <b>peer</b>' },
      ], 'failed'],
    ], 'failed');
    await run('cmp-solo', uuid(), [], 'completed');
  });

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  async function openPage(hash: string) {
    const opened = await tb.newPage();
    await presetToken(opened.page, await tokenFor('admin', 'admin-compare'));
    await opened.page.goto(`${t.baseUrl}/admin${hash}`);
    return opened;
  }

  it('the run page\'s button leads to the comparison with the last successful run: phases side by side, the differing lines, each linking to its run\'s log', async () => {
    const { context, page, errors } = await openPage('#/runs/cmp-bad');
    const button = page.locator('#compare-last');
    await button.waitFor();
    expect(await button.textContent()).toBe('Compare with last successful run');
    await button.click();
    await page.locator('#compare-summary').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/runs/cmp-bad/compare');
    expect(await page.locator('#tab-compare').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('#panel-overview').isHidden()).toBe(true);
    expect(await page.locator('#compare-other').textContent()).toBe('cmp-good');
    expect(await page.locator('#compare-summary').textContent()).toBe('1 line only in this run, 1 only in cmp-good.');
    expect(await page.locator('.compare-body').textContent()).not.toContain('null');
    expect(await page.locator('.compare-truncated').count()).toBe(0);

    // Phases side by side: the failed load against the completed one, entries and the change.
    const rows = page.locator('.compare-phase-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.phase))).toEqual(['extract', 'load']);
    const cells = async (phase: string) => page.locator(`.compare-phase-table tr[data-phase="${phase}"] > *`).allTextContents();
    const extract = await cells('extract');
    expect([extract[0], extract[1], extract[3], extract[4], extract[6], extract[8]]).toEqual(['extract', 'completed', '2', 'completed', '2', '±0']);
    const load = await cells('load');
    expect([load[0], load[1], load[3], load[4], load[6], load[8]]).toEqual(['load', 'failed', '2', 'completed', '2', '±0']);
    expect(await page.locator('.compare-phase-table tr[data-phase="load"]').getAttribute('data-changed')).toBe('true');

    // The differing lines: numbers normalised away, the error only in this run, in colour, markup as text.
    const onlyInRun = page.locator('#only-in-run li.compare-line');
    expect(await onlyInRun.count()).toBe(1);
    expect(await onlyInRun.locator('.msg').textContent()).toBe('connection reset by <b>peer</b>');
    expect(await onlyInRun.locator('.msg b').count()).toBe(0);
    expect(await onlyInRun.locator('.msg span.ansi-bold').textContent()).toBe('connection reset');
    expect(await onlyInRun.getAttribute('class')).toContain('level-error');
    expect(await onlyInRun.locator('a.seq-link').getAttribute('href')).toBe('#/runs/cmp-bad/log?lines=4');
    const onlyInOther = page.locator('#only-in-other li.compare-line');
    expect(await onlyInOther.locator('.msg').allTextContents()).toEqual(['vacuum done']);

    // A line's link opens that line in the other run's log.
    await onlyInOther.locator('a.seq-link').click();
    await page.waitForFunction(() => location.hash === '#/runs/cmp-good/log?lines=4');
    await page.locator('h1.run-title .mono', { hasText: 'cmp-good' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('compares with a run named in the form, and says when there is no completed run to compare with', async () => {
    const { context, page, errors } = await openPage('#/runs/cmp-bad/compare');
    await page.locator('#compare-summary').waitFor();
    await page.locator('#compare-with').fill('cmp-old');
    await page.locator('.compare-form button[type="submit"]').click();
    await page.waitForFunction(() => location.hash === '#/runs/cmp-bad/compare?with=cmp-old');
    await page.locator('#compare-other', { hasText: 'cmp-old' }).waitFor();
    expect(await page.locator('.compare-phase-table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.presence))).toEqual(['both', 'run']);
    expect(await page.locator('#only-in-run li.compare-line .msg').allTextContents()).toEqual(['loaded 1187 rows', 'connection reset by <b>peer</b>']);

    await page.evaluate(() => (location.hash = '#/runs/cmp-solo/compare'));
    const status = page.locator('#compare-status.error');
    await status.waitFor();
    expect(await status.textContent()).toContain('There is no completed run to compare with');
    expect(errors).toEqual([]);
    await context.close();
  });
});
