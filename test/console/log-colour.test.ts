/**
 * ANSI SGR colour in the console's log, in a real headless Chromium: a line a producer coloured shows
 * its red bold text (computed style), other escape sequences are gone, and markup carried in a
 * coloured message stays text: no element or attribute is injected.
 */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { describeWithBrowser, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const ESC = '\u001b';

describeWithBrowser('admin console: ANSI colour in the log', () => {
  let t: TestApp;
  let tb: TestBrowser;
  const id = 'ansi_colour_run';

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tb = await launchBrowser();
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id, totalJobs: 1, phases: ['Load'] }));
    await t.commandBus.execute(new AppendLogEntriesCommand({
      batchRunId: id,
      entries: [
        { level: 'error', phase: 'Load', message: `${ESC}[1;31mFAILED${ESC}[0m row 9,114 ${ESC}[38;2;0;128;255mblue${ESC}[m` },
        { level: 'info', phase: 'Load', message: `${ESC}[31m<img src=x onerror="window.injected=1">${ESC}[0m${ESC}]0;title${'\u0007'}${ESC}[2J<b id="bold-injected">b</b>` },
        { level: 'info', phase: 'Load', message: 'plain line' },
      ],
    }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'failed' }));
  });

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  it('shows SGR red bold as red bold text, strips every other escape, and injects nothing', async () => {
    const { context, page, errors } = await tb.newPage();
    await presetToken(page, await tokenFor('admin', 'admin-colour'));
    await page.goto(`${t.baseUrl}/admin#/runs/${id}/timeline`);
    await page.locator('#player-status[data-state="end"]').waitFor();
    const messages = page.locator('#log li.entry .msg');
    expect(await messages.allTextContents()).toEqual([
      'FAILED row 9,114 blue',
      '<img src=x onerror="window.injected=1"><b id="bold-injected">b</b>',
      'plain line',
    ]);

    const red = messages.nth(0).locator('span.ansi').first();
    expect(await red.textContent()).toBe('FAILED');
    expect(await red.getAttribute('class')).toBe('ansi ansi-bold ansi-fg-1');
    const look = await red.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, weight: s.fontWeight };
    });
    expect(look.weight).toBe('700');
    const [r, g, b] = look.color.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    // true colour: our rgb() numbers, set through CSSOM (the CSP allows no style attribute from markup)
    expect(await messages.nth(0).locator('span.ansi').nth(1).evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 128, 255)');
    expect(await messages.nth(2).locator('span').count()).toBe(0); // a plain line is plain text

    // The markup is characters: no element, no attribute, no script ran.
    const injected = messages.nth(1);
    expect(await injected.locator('img, b').count()).toBe(0);
    expect(await page.locator('#bold-injected, img[onerror], [onerror]').count()).toBe(0);
    expect(await injected.evaluate((el) => [...el.querySelectorAll('*')].map((e) => `${e.tagName}.${e.className}:${[...e.attributes].map((a) => a.name).join(',')}`)))
      .toEqual(['SPAN.ansi ansi-fg-1:class']);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    expect(await page.title()).not.toBe('title');

    // The text filter matches the text without the codes, and marks it inside the coloured span.
    await page.locator('#log-search').fill('failed row');
    await page.locator('#log li.entry mark').first().waitFor();
    expect(await messages.allTextContents()).toEqual(['FAILED row 9,114 blue']);
    expect(await messages.nth(0).locator('mark').allTextContents()).toEqual(['FAILED', ' row']);
    expect(await messages.nth(0).locator('span.ansi-fg-1 > mark').textContent()).toBe('FAILED');
    expect(errors).toEqual([]);
    await context.close();
  });
});
