/**
 * Links to lines in the console, in a real headless Chromium, on a run of 3,000 entries: a link to a
 * range (#/runs/<id>/log?lines=822-830) opens the Log lines tab with exactly those lines highlighted and
 * in view, having fetched only the page around them (around_seq), never the whole log or the event
 * stream; "load earlier" / "load later" extend it by after_seq pages; clicking a line number and
 * shift-clicking another puts the line or range in the address; "copy link" copies the line's URL,
 * or shows it when there is no clipboard; the timeline's log links each line there too.
 */
import type { Page } from 'playwright-core';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { describeWithBrowser, eventually, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const RUN = 'links_run';
const TOTAL = 3000;

describeWithBrowser('admin console: links to lines', () => {
  let t: TestApp;
  let tb: TestBrowser;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tb = await launchBrowser();
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: RUN, totalJobs: 1, phases: ['Load'] }));
    for (let from = 1; from <= TOTAL; from += 1000) {
      await t.commandBus.execute(new AppendLogEntriesCommand({
        batchRunId: RUN,
        entries: Array.from({ length: 1000 }, (_, i) => ({ level: (from + i) % 97 === 0 ? 'warning' : 'info', phase: 'Load', message: `row batch ${from + i}` })),
      }));
    }
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: RUN, status: 'completed' }));
  }, 120_000);

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  async function openPage(hash: string, { clipboard = true } = {}) {
    const opened = await tb.newPage();
    await presetToken(opened.page, await tokenFor('admin', 'admin-links'));
    if (clipboard) await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    else await opened.page.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
    const requests: string[] = [];
    opened.page.on('request', (r) => {
      if (r.url().includes('/api/')) requests.push(r.url().slice(t.baseUrl.length));
    });
    await opened.page.goto(`${t.baseUrl}/admin${hash}`);
    return { ...opened, requests };
  }

  const highlighted = (page: Page) =>
    page.locator('#log-page-lines li.highlighted').evaluateAll((li) => li.map((e) => Number((e as HTMLElement).dataset.seq)));
  const seqRange = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const range = (page: Page) =>
    page.locator('#log-page-range').evaluate((el) => [(el as HTMLElement).dataset.first, (el as HTMLElement).dataset.last, (el as HTMLElement).dataset.total].map(Number));
  const logRequests = (requests: string[]) => requests.filter((u) => /\/logs\?/.test(u));
  const hashOf = (page: Page) => page.evaluate(() => location.hash);

  it('opens a range link with exactly those lines highlighted and in view, fetching only the page around them', async () => {
    const { context, page, errors, requests } = await openPage(`#/runs/${RUN}/log?lines=822-830`);
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await highlighted(page)).toEqual(seqRange(822, 830));
    expect(await page.locator('#tab-log').getAttribute('aria-current')).toBe('page');
    expect(await range(page)).toEqual([772, 880, TOTAL]);
    expect(await page.locator('#log-page-range').textContent()).toBe('Showing entries 772–880 of 3,000');
    expect(await page.locator('#log-page-lines li.entry').count()).toBe(109);

    // In view: the first highlighted line is inside the log's scrolled box.
    const inView = await page.locator('#log-page-lines li[data-seq="822"]').evaluate((li) => {
      const box = document.querySelector('#log-page')!.getBoundingClientRect();
      const r = li.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    });
    expect(inView).toBe(true);

    // The network: one page of the log, around the lines; not the whole log, not the event stream.
    expect(logRequests(requests)).toEqual([`/api/v1/admin/batch/history/${RUN}/logs?format=json&around_seq=826&context=54`]);
    expect(requests.some((u) => u.includes('/events'))).toBe(false);

    // Load earlier / later: after_seq pages next to what is shown.
    await page.locator('#load-earlier').click();
    await eventually(async () => expect(await range(page)).toEqual([572, 880, TOTAL]));
    await page.locator('#load-later').click();
    await eventually(async () => expect(await range(page)).toEqual([572, 1080, TOTAL]));
    expect(logRequests(requests).slice(1)).toEqual([
      `/api/v1/admin/batch/history/${RUN}/logs?format=json&after_seq=571&limit=200`,
      `/api/v1/admin/batch/history/${RUN}/logs?format=json&after_seq=880&limit=200`,
    ]);
    expect(await highlighted(page)).toEqual(seqRange(822, 830));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a line number selects its line and a shift-click a range, in the address; the address opens them again', async () => {
    const { context, page, errors } = await openPage(`#/runs/${RUN}/log?lines=822`);
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await highlighted(page)).toEqual([822]);

    await page.locator('#log-page-lines li[data-seq="835"] a.seq-link').click();
    expect(await hashOf(page)).toBe(`#/runs/${RUN}/log?lines=835`);
    expect(await highlighted(page)).toEqual([835]);
    await page.locator('#log-page-lines li[data-seq="840"] .msg').click({ modifiers: ['Shift'] });
    expect(await hashOf(page)).toBe(`#/runs/${RUN}/log?lines=835-840`);
    expect(await highlighted(page)).toEqual(seqRange(835, 840));
    await page.locator('#log-page-lines li[data-seq="830"] a.seq-link').click({ modifiers: ['Shift'] });
    expect(await hashOf(page)).toBe(`#/runs/${RUN}/log?lines=830-835`);
    expect(await highlighted(page)).toEqual(seqRange(830, 835));

    // The address is a link: reloaded, it shows the same range.
    await page.reload();
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await highlighted(page)).toEqual(seqRange(830, 835));

    // A link to lines outside the loaded page, followed on the page: their page is loaded.
    await page.evaluate((run) => { location.hash = `#/runs/${run}/log?lines=2990`; }, RUN);
    await eventually(async () => expect(await highlighted(page)).toEqual([2990]));
    expect(await range(page)).toEqual([2940, 3000, TOTAL]);
    expect(await page.locator('#load-later').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a line number in the timeline\'s log opens that line in the Log lines tab', async () => {
    const { context, page, errors } = await openPage(`#/runs/${RUN}/timeline`);
    await page.locator('#player-status[data-state="end"]').waitFor();
    const link = page.locator('#log li.entry[data-seq="1500"] a.seq-link');
    expect(await link.getAttribute('href')).toBe(`#/runs/${RUN}/log?lines=1500`);
    await link.click();
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await highlighted(page)).toEqual([1500]);
    expect(await page.locator('#tab-log').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('#panel-timeline').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('copy link copies the line\'s address, or shows it when there is no clipboard', async () => {
    const expected = `${t.baseUrl}/admin#/runs/${RUN}/log?lines=826`;
    {
      const { context, page, errors } = await openPage(`#/runs/${RUN}/log?lines=822-830`);
      await page.locator('#log-page-lines li.highlighted').first().waitFor();
      await page.locator('#log-page-lines li[data-seq="826"] button.copy-link').click();
      await page.locator('#copy-status').filter({ hasText: 'Copied the link to line 826.' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
      expect(await page.locator('#copy-fallback').isVisible()).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    }
    {
      const { context, page, errors } = await openPage(`#/runs/${RUN}/log?lines=822-830`, { clipboard: false });
      await page.locator('#log-page-lines li.highlighted').first().waitFor();
      await page.locator('#log-page-lines li[data-seq="826"] button.copy-link').click();
      await page.locator('#copy-fallback').waitFor();
      expect(await page.locator('#copy-fallback-link').inputValue()).toBe(expected);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('copy-fallback-link');
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
