/**
 * The console's search views in a real headless Chromium, against the real search API: across runs
 * (#/search: only the runs whose log holds the words, newest first, their match counts, the matches
 * marked, a match linking to its line in its run) and inside a run (the Search tab: matches with the
 * lines around them, the highlight, more by the cursor, a refused regular expression said beside the box), and a
 * search past its statement timeout said beside the box in both.
 */
import type { Page } from 'playwright-core';
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { SearchIndexer } from '../../src/batch-runs/search/search-indexer';
import { describeWithBrowser, eventually, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

type Level = 'info' | 'warning' | 'error';
type Line = { level: Level; message: string; phase?: string };

/** The word searched across runs: in the logs of the first and the third run only. */
const WORD = 'quarantined';

describeWithBrowser('admin console: search across runs and inside a run', () => {
  let t: TestApp;
  let tb: TestBrowser;
  const across = ['search_ui_first', 'search_ui_second', 'search_ui_third'];
  const inside = 'search_ui_inside';
  /** Every sixth line of the inside run matches "timeout": 75 matches, more than one page of 50. */
  const insideMatches = Array.from({ length: 75 }, (_, i) => (i + 1) * 6);

  async function run(batchRunId: string, lines: Line[], status: 'completed' | 'failed' = 'completed') {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId, totalJobs: 1, phases: ['Extract', 'Load'] }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: lines }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId, status }));
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tb = await launchBrowser();
    await run(across[0], [
      { level: 'info', message: 'Extracting 3 sources', phase: 'Extract' },
      { level: 'warning', message: `12 rows ${WORD}: unknown ISIN`, phase: 'Extract' },
      { level: 'info', message: 'Loading 12,396 rows', phase: 'Load' },
      { level: 'error', message: `Row 9,114 ${WORD.toUpperCase()} <img src=x onerror=alert(1)>`, phase: 'Load' },
      { level: 'info', message: `${WORD} rows kept aside`, phase: 'Load' },
    ], 'failed');
    await run(across[1], [
      { level: 'info', message: 'Extracting 3 sources', phase: 'Extract' },
      { level: 'info', message: 'Nothing set aside today', phase: 'Load' },
    ]);
    await run(across[2], [
      { level: 'info', message: 'Extracting 2 sources', phase: 'Extract' },
      { level: 'warning', message: `1 row ${WORD}`, phase: 'Load' },
    ]);
    const lines: Line[] = [];
    for (let seq = 1; seq <= 450; seq += 1) {
      if (seq % 6 === 0) lines.push({ level: 'warning', message: `\u001b[33mrequest ${seq} hit a timeout\u001b[0m, retrying`, phase: 'Load' });
      else if (seq === 5) lines.push({ level: 'info', message: '\u001b[1;31mbold red\u001b[0m <b>not markup</b>', phase: 'Extract' });
      else lines.push({ level: 'info', message: `step ${seq} ok`, phase: seq < 100 ? 'Extract' : 'Load' });
    }
    await run(inside, lines);
  }, 120_000);

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  async function openPage(hash: string) {
    const opened = await tb.newPage();
    await presetToken(opened.page, await tokenFor('admin', 'admin-search'));
    await opened.page.goto(`${t.baseUrl}/admin${hash}`);
    return opened;
  }

  /** The log as the API has it: how many entries of a run hold `word` (case-insensitive), independently of search. */
  async function countInLog(batchRunId: string, word: string): Promise<number> {
    const res = await request(t.baseUrl).get(`/api/v1/admin/batch/history/${batchRunId}/logs?format=json`)
      .set('Authorization', `Bearer ${await tokenFor('admin')}`).expect(200);
    return res.body.entries.filter((e: { message: string }) => e.message.toLowerCase().includes(word.toLowerCase())).length;
  }

  /** The browser logs every 400 it is answered: expected for the refused searches, errors otherwise. */
  const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));
  const runIds = (page: Page) => page.locator('li.search-run').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.runId));

  it('across runs: from the runs list, only the runs whose log holds the word, newest first, with their counts and the word marked; a match opens its line', async () => {
    const { context, page, errors } = await openPage('#/runs');
    await page.locator(`tr[data-run-id="${inside}"]`).waitFor();
    await page.locator('#quick-search-q').fill(WORD);
    await page.locator('#quick-search-submit').click();
    await page.locator('#search-summary[data-runs]').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(`#/search?q=${WORD}`);

    expect(await runIds(page)).toEqual([across[2], across[0]]); // newest first; the second run has no match
    const first = page.locator(`li.search-run[data-run-id="${across[0]}"]`);
    const third = page.locator(`li.search-run[data-run-id="${across[2]}"]`);
    expect(await first.locator('.match-count').getAttribute('data-count')).toBe(String(await countInLog(across[0], WORD)));
    expect(await first.locator('.match-count').textContent()).toBe('3 matches');
    expect(await third.locator('.match-count').textContent()).toBe('1 match');
    expect(await first.locator('.badge').textContent()).toBe('failed');
    expect(await third.locator('.badge').textContent()).toBe('completed');

    // Each match marked, whatever its case; a message holding markup is shown as its text.
    expect((await first.locator('.search-hit mark').allTextContents()).map((s) => s.toLowerCase())).toEqual([WORD, WORD, WORD]);
    expect(await first.locator('.search-hit[data-seq="4"] .msg').textContent()).toBe(`Row 9,114 ${WORD.toUpperCase()} <img src=x onerror=alert(1)>`);
    expect(await page.locator('.search-results img').count()).toBe(0);
    expect(await third.locator('.search-hit .msg').textContent()).toBe(`1 row ${WORD}`);

    // A match links to its line in its run's log.
    const link = first.locator('.search-hit[data-seq="4"] a.seq-link');
    expect(await link.getAttribute('href')).toBe(`#/runs/${across[0]}/log?lines=4`);
    await link.click();
    await page.locator('.run-title').filter({ hasText: across[0] }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(`#/runs/${across[0]}/log?lines=4`);
    // The run's Log lines tab (log-page.js) shows that line highlighted.
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await page.locator('#log-page-lines li.highlighted').evaluateAll((li) => li.map((e) => Number((e as HTMLElement).dataset.seq)))).toEqual([4]);
    expect(await page.locator('#log-page-lines li.highlighted .msg').textContent()).toContain(WORD.toUpperCase());

    // The search is a link: opened afresh with a filter, it searches again (failed runs only).
    await page.goto(`${t.baseUrl}/admin#/search?q=${WORD}&status=failed`);
    await page.locator('#search-summary[data-runs]').waitFor();
    expect(await runIds(page)).toEqual([across[0]]);
    expect(await page.locator('#search-q').inputValue()).toBe(WORD);
    expect(await page.locator('#search-status').inputValue()).toBe('failed');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('inside a run: matches with their context lines, the highlight, more by the cursor, the context size, and a bad regular expression said beside the box', async () => {
    const { context, page, errors } = await openPage(`#/runs/${inside}`);
    await page.locator('#log-count[data-count]').waitFor();
    await page.locator('#tab-search').click();
    await page.locator('#run-search-q').fill('TIMEOUT');
    await page.locator('#run-search-submit').click();
    await page.locator('#run-search-total[data-total]').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(`#/runs/${inside}/search?q=TIMEOUT`);
    expect(await page.locator('#run-search-total').getAttribute('data-total')).toBe(String(insideMatches.length));
    expect(await page.locator('#run-search-total').textContent()).toBe('75 matches, 50 shown.');

    // The first page: 50 matches, each with 2 lines before and after (context 2, the default).
    const matchSeqs = () => page.locator('li.search-line.match').evaluateAll((li) => li.map((e) => Number((e as HTMLElement).dataset.seq)));
    expect(await matchSeqs()).toEqual(insideMatches.slice(0, 50));
    const block = page.locator('.search-block').first();
    expect(await block.locator('li.search-line').evaluateAll((li) => li.map((e) => `${(e as HTMLElement).dataset.seq}:${(e as HTMLElement).dataset.kind}`)))
      .toEqual(['4:context', '5:context', '6:match', '7:context', '8:context']);
    expect(await block.locator('a.range-link').getAttribute('href')).toBe(`#/runs/${inside}/log?lines=4-8`);
    expect(await block.locator('li.search-line.match a.seq-link').getAttribute('href')).toBe(`#/runs/${inside}/log?lines=6`);
    // The matching line: its text without the ANSI codes, the match marked.
    expect(await block.locator('li.search-line.match .msg').textContent()).toBe('request 6 hit a timeout, retrying');
    expect(await block.locator('li.search-line.match mark').allTextContents()).toEqual(['timeout']);
    // A context line: in its colour (bold red), no escape reaches the page, and markup stays text.
    expect(await block.locator('li.search-line[data-seq="5"] .msg').textContent()).toBe('bold red <b>not markup</b>');
    expect(await block.locator('li.search-line[data-seq="5"] .msg span.ansi.ansi-bold.ansi-fg-1').textContent()).toBe('bold red');
    expect(await page.locator('#run-search-results b').count()).toBe(0);

    // A block's range opens those lines in the log, highlighted; back to the search.
    await block.locator('a.range-link').click();
    await page.locator('#log-page-lines li.highlighted').first().waitFor();
    expect(await page.locator('#log-page-lines li.highlighted').evaluateAll((li) => li.map((e) => Number((e as HTMLElement).dataset.seq)))).toEqual([4, 5, 6, 7, 8]);
    await page.goBack();
    await page.locator('#run-search-total[data-total]').waitFor();
    expect(await matchSeqs()).toEqual(insideMatches.slice(0, 50));

    // More by the cursor: the other 25.
    await page.locator('#run-search-more').click();
    await page.locator('#run-search-total[data-shown="75"]').waitFor();
    expect(await matchSeqs()).toEqual(insideMatches);
    expect(await page.locator('#run-search-total').textContent()).toBe('75 matches.');
    expect(await page.locator('#run-search-more').isVisible()).toBe(false);

    // No context: the matching lines alone.
    await page.locator('#run-search-context').selectOption('0');
    await eventually(async () => expect(await page.locator('li.search-line.context').count()).toBe(0));
    await eventually(async () => expect(await page.locator('li.search-line.match').count()).toBe(50));
    expect(await page.evaluate(() => location.hash)).toBe(`#/runs/${inside}/search?q=TIMEOUT&context=0`);

    // A regular expression the database refuses: said beside the box, not as an alert of the page.
    await page.locator('#run-search-regex').check();
    await page.locator('#run-search-q').fill('time(out');
    await page.locator('#run-search-submit').click();
    await eventually(async () => expect(await page.locator('#run-search-error').textContent()).toMatch(/^Not a valid regular expression/));
    expect(await page.locator('#run-search-q').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('li.search-line').count()).toBe(0);

    // A valid one, from a link: the run's search opened afresh.
    await page.goto(`${t.baseUrl}/admin#/runs/${inside}/search?q=${encodeURIComponent('request (6|12) hit')}&regex=true&context=5`);
    await page.locator('#run-search-total[data-total]').waitFor();
    expect(await page.locator('#run-search-total').getAttribute('data-total')).toBe('2');
    expect(await matchSeqs()).toEqual([6, 12]);
    expect(await page.locator('#run-search-context').inputValue()).toBe('5');
    expect(await page.locator('#run-search-regex').isChecked()).toBe(true);
    // Context 5 around 6 and 12 overlaps: one block, lines 1 to 17.
    expect(await page.locator('.search-block').count()).toBe(1);
    expect(await page.locator('.search-block a.range-link').getAttribute('href')).toBe(`#/runs/${inside}/log?lines=1-17`);
    expect(await page.locator('.search-block mark').allTextContents()).toEqual(['request 6 hit', 'request 12 hit']);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a search past its statement timeout says how to narrow it, beside the box, in both views', async () => {
    const big = 'search_ui_big';
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: big, totalJobs: 1 }));
    for (let from = 1; from <= 20_000; from += 500) {
      await t.commandBus.execute(new AppendLogEntriesCommand({
        batchRunId: big, entries: Array.from({ length: 500 }, (_, k) => ({ level: 'info' as const, message: `line ${from + k} ${'abc'.repeat(20)}` })),
      }));
    }
    // Indexed first, so the search goes through the index, as it would on a busy server.
    const indexer = t.app.get(SearchIndexer);
    while ((await indexer.indexOnce(1_000_000)).entries > 0);
    // The same database behind an app whose searches may take 1 ms, and a regular expression that every line is a
    // candidate for (its trigrams are in each: an index cannot rule one out) and none matches: 20,000 lines to check.
    const tight = await startTestApp({ db: t.db, listen: true, config: { searchStatementTimeoutMs: 1 } });
    try {
      const opened = await tb.newPage();
      await presetToken(opened.page, await tokenFor('admin', 'admin-search'));
      const { page, errors } = opened;
      const q = encodeURIComponent('(abc){21}');
      await page.goto(`${tight.baseUrl}/admin#/search?q=${q}&regex=true`);
      await eventually(async () => expect(await page.locator('#search-error').textContent()).toMatch(/^This search is too broad: .*Narrow it/));
      expect(await page.locator('#search-q').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('li.search-run').count()).toBe(0);
      expect(await page.locator('#search-message').textContent()).toBe('');

      await page.goto(`${tight.baseUrl}/admin#/runs/${big}/search?q=${q}&regex=true`);
      await eventually(async () => expect(await page.locator('#run-search-error').textContent()).toMatch(/^This search is too broad: .*Narrow it/));
      expect(await page.locator('#run-search-q').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#run-search-message').textContent()).toBe('');
      expect(unexpected(errors)).toEqual([]);
      await opened.context.close();
    } finally {
      await tight.close();
    }
  }, 120_000);
});
