/**
 * The console's Timeline tab and live following, in a real headless Chromium: the Gantt chart (failed
 * phases marked), the log's level/phase/text filters, the player replaying a run to its end, the
 * scrubber showing the run as the API's ?at= has it, and a running run growing live from its event
 * stream while entries are written through the CommandBus (autoscroll that stops when scrolled up).
 */
import type { Page } from 'playwright-core';
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { describeWithBrowser, eventually, launchBrowser, presetToken, TestBrowser } from '../support/browser';
import { demoRun, failedRun } from '../support/console-data';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

describeWithBrowser('admin console: timeline, replay and live runs', () => {
  let t: TestApp;
  let tb: TestBrowser;
  let demoId: string;
  let failedId: string;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tb = await launchBrowser();
    demoId = await demoRun(t, 1.5); // eight phases over about a second and a half
    failedId = await failedRun(t);
  });

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  async function openPage(hash: string) {
    const opened = await tb.newPage();
    await presetToken(opened.page, await tokenFor('admin', 'admin-timeline'));
    await opened.page.goto(`${t.baseUrl}/admin${hash}`);
    return opened;
  }

  const adminGet = async (path: string) => request(t.baseUrl).get(path).set('Authorization', `Bearer ${await tokenFor('admin')}`).expect(200);
  const ganttStatuses = (page: Page) =>
    page.locator('#gantt g.phase-row').evaluateAll((rows) => rows.map((r) => `${(r as SVGElement).dataset.phase}=${(r as SVGElement).dataset.status}`));
  const shownEntries = async (page: Page) => Number(await page.locator('#log-shown').getAttribute('data-total'));
  const logMessages = (page: Page) => page.locator('#log li.entry .msg').allTextContents();
  const append = (batchRunId: string, messages: string[], phase?: string) =>
    t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: messages.map((message) => ({ level: 'info', message, phase })) }));

  it('shows the phases as bars on a time axis, marks the failed phase, and filters the log by level, phase and text', async () => {
    const { context, page, errors } = await openPage(`#/runs/${failedId}/timeline`);
    await page.locator('#player-status[data-state="end"]').waitFor();
    expect(await ganttStatuses(page)).toEqual(['Download files=completed', 'Validate rows=failed', 'Load warehouse=pending']);
    const failedRow = page.locator('#gantt g.phase-row[data-status="failed"]');
    expect(await failedRow.locator('text.phase-label').evaluate((el) => el.firstChild!.textContent)).toBe('✕ Validate rows');
    expect(await failedRow.locator('rect.bar-failed').count()).toBe(1);
    expect(await failedRow.locator('text.bar-label').textContent()).toMatch(/^✕ failed · /);
    expect(await failedRow.locator('circle.marker-error').count()).toBe(2); // the job's error and the phase's summary
    expect(await page.locator('#player-status [class*="badge"]').textContent()).toBe('failed');

    const { count } = (await adminGet(`/api/v1/admin/batch/history/${failedId}/logs/count`)).body;
    expect(await shownEntries(page)).toBe(count);
    expect(await page.locator('#log li.entry').count()).toBe(count);
    expect(await page.locator('#log li.entry.level-error').count()).toBe(2);
    expect(await page.locator('#log li.entry.level-warning').count()).toBe(2);

    // Levels: hide info.
    await page.locator('button.level-toggle[data-level="info"]').click();
    expect(await page.locator('button.level-toggle[data-level="info"]').getAttribute('aria-pressed')).toBe('false');
    expect(new Set(await page.locator('#log li.entry').evaluateAll((li) => li.map((e) => (e as HTMLElement).dataset.level)))).toEqual(new Set(['warning', 'error']));
    await page.locator('button.level-toggle[data-level="info"]').click();

    // Phase: from the select, and from the Gantt row (keyboard: Enter on a focused row).
    await page.locator('#log-phase').selectOption('Download files');
    expect(new Set(await page.locator('#log li.entry .phase').allTextContents())).toEqual(new Set(['Download files']));
    await page.locator('#gantt g.phase-row[data-phase="Validate rows"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#log-phase').inputValue()).toBe('Validate rows');
    expect(new Set(await page.locator('#log li.entry .phase').allTextContents())).toEqual(new Set(['Validate rows']));
    await page.locator('#log-phase').selectOption('');

    // Text search, highlighted.
    await page.locator('#log-search').fill('isin');
    await eventually(async () => expect(await logMessages(page)).toEqual(['17 rows reference unknown ISINs']));
    expect(await page.locator('#log li.entry mark').textContent()).toBe('ISIN');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the player replays the run\'s events in order to the end; the scrubber shows the run as ?at= has it', async () => {
    const { context, page, errors } = await openPage(`#/runs/${demoId}/timeline`);
    await page.locator('#player-status[data-state="end"]').waitFor();
    const total = await shownEntries(page);
    const eventCount = Number(/of (\d+)/.exec((await page.locator('#player-event').textContent()) ?? '')![1]);
    expect(await page.locator('#player-event').textContent()).toMatch(new RegExp(`^Event ${eventCount} of ${eventCount}: BatchRunFinished`));
    expect(await page.locator('#play').textContent()).toContain('Replay');

    // To the start: the run has only just started.
    await page.locator('#to-start').click();
    await page.locator('#player-status[data-state="paused"]').waitFor();
    expect(await shownEntries(page)).toBe(0);
    await eventually(async () => expect((await ganttStatuses(page)).every((s) => s.endsWith('=pending'))).toBe(true));
    expect(await page.locator('#player-status').getAttribute('data-status')).toBe('running');

    // Play (keyboard) and watch the log grow, entry by entry, to the end.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      new MutationObserver(() => seen.push(Number(document.querySelector<HTMLElement>('#log-shown')!.dataset.total)))
        .observe(document.querySelector('#log-shown')!, { attributes: true });
    });
    await page.locator('#speed').selectOption('1');
    await page.locator('#play').focus();
    await page.keyboard.press('Enter');
    await page.locator('#player-status[data-state="playing"]').waitFor();
    await page.locator('#player-status[data-state="end"]').waitFor({ timeout: 20_000 });
    expect(await shownEntries(page)).toBe(total);
    expect(await page.locator('#log li.entry').count()).toBe(total);
    expect(await page.locator('#player-event').textContent()).toMatch(new RegExp(`^Event ${eventCount} of ${eventCount}: BatchRunFinished`));
    await eventually(async () => expect((await ganttStatuses(page)).every((s) => s.endsWith('=completed'))).toBe(true));
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    const steps = [...new Set(seen)];
    expect(steps.length).toBeGreaterThan(5); // it grew in steps, not at once
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[steps.length - 1]).toBe(total);

    // The scrubber, half-way: the Gantt and the status are the API's ?at= answer for that moment.
    await page.locator('#scrubber').evaluate((input: HTMLInputElement) => {
      input.value = String(Math.round(Number(input.max) / 2));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator('#player-status[data-state="paused"]').waitFor();
    const at = await page.locator('#player-status time').getAttribute('datetime');
    const asOf = (await adminGet(`/api/v1/admin/batch/history/${demoId}/timeline?at=${at}`)).body;
    const expected = asOf.phases.map((p: { name: string; status: string }) => `${p.name}=${p.status}`);
    expect(expected.some((s: string) => s.endsWith('=completed'))).toBe(true);
    expect(expected.some((s: string) => s.endsWith('=pending'))).toBe(true);
    await eventually(async () => expect(await ganttStatuses(page)).toEqual(expected));
    expect(await shownEntries(page)).toBe(asOf.entry_count);
    expect(await page.locator('#player-status').getAttribute('data-status')).toBe('running');

    // Keyboard on the scrubber: End goes back to the end of the run.
    await page.locator('#scrubber').focus();
    await page.keyboard.press('End');
    await page.locator('#player-status[data-state="end"]').waitFor();
    expect(await shownEntries(page)).toBe(total);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a running run grows live from its event stream: log, bars, count and status; autoscroll stops when scrolled up', async () => {
    const id = 'live_console_run';
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id, totalJobs: 2, phases: ['Extract', 'Load'] }));
    await append(id, ['first line'], 'Extract');
    const { context, page, errors } = await openPage(`#/runs/${id}/timeline`);
    await page.locator('#player-status[data-state="live"]').waitFor();
    expect(await logMessages(page)).toEqual(['first line']);
    expect(await page.locator('.run-head .live-dot').count()).toBe(1);
    expect(await page.locator('#play').isDisabled()).toBe(true); // live already

    // Written while the page is open: they appear without a reload.
    await append(id, ['live 1', 'live 2'], 'Extract');
    await eventually(async () => expect(await logMessages(page)).toEqual(['first line', 'live 1', 'live 2']));
    await eventually(async () => expect(await ganttStatuses(page)).toEqual(['Extract=running', 'Load=pending']));

    // Enough lines to scroll: the log follows the newest...
    for (let i = 0; i < 4; i += 1) await append(id, Array.from({ length: 15 }, (_, j) => `bulk ${i * 15 + j}`), 'Extract');
    await eventually(async () => expect(await shownEntries(page)).toBe(63));
    const log = page.locator('#log');
    const atBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    await eventually(async () => expect(await atBottom()).toBe(true));
    expect(await log.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);

    // ...until the reader scrolls up: then it stays put and offers a jump to the new entries.
    await log.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await append(id, ['while reading 1', 'while reading 2'], 'Extract');
    await eventually(async () => expect(await shownEntries(page)).toBe(65));
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
    await page.locator('#jump-latest').waitFor();
    expect(await page.locator('#jump-latest').textContent()).toContain('2 new entries');
    await page.locator('#jump-latest').click();
    await eventually(async () => expect(await atBottom()).toBe(true));
    expect(await page.locator('#jump-latest').isVisible()).toBe(false);

    // The phase ends, then the run: the bars and the status follow.
    await t.commandBus.execute(new CompletePhaseCommand({ batchRunId: id, phase: 'Extract', completedJobs: 1 }));
    await eventually(async () => expect(await ganttStatuses(page)).toEqual(['Extract=completed', 'Load=pending']));
    await append(id, ['loading'], 'Load');
    await eventually(async () => expect(await ganttStatuses(page)).toEqual(['Extract=completed', 'Load=running']));

    // The Overview tab follows too: the entry count grows.
    await page.locator('#tab-overview').click();
    await page.locator('#log-count[data-count="66"]').waitFor();
    await append(id, ['one more'], 'Load');
    await page.locator('#log-count[data-count="67"]').waitFor();
    await page.locator('#tab-timeline').click();

    await t.commandBus.execute(new CompletePhaseCommand({ batchRunId: id, phase: 'Load', completedJobs: 1 }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'completed' }));
    await page.locator('#player-status[data-state="end"][data-status="completed"]').waitFor();
    await eventually(async () => expect(await page.locator('.run-head .badge').textContent()).toBe('completed'));
    expect(await ganttStatuses(page)).toEqual(['Extract=completed', 'Load=completed']);
    expect(await page.locator('.run-head .live-dot').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the runs list shows new runs and keeps running ones current without a reload', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'list_live_run', totalJobs: 1, phases: ['Only'] }));
    const { context, page, errors } = await openPage('#/runs');
    const row = page.locator('tr[data-run-id="list_live_run"]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('running');

    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'list_new_run', totalJobs: 1 }));
    await t.commandBus.execute(new CompletePhaseCommand({ batchRunId: 'list_live_run', phase: 'Only', completedJobs: 1 }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'list_live_run', status: 'completed' }));
    await page.locator('tr[data-run-id="list_live_run"][data-status="completed"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('tr[data-run-id="list_live_run"]').textContent()).toContain('1 done / 0 failed of 1');
    await page.locator('tbody tr[data-run-id]').first().and(page.locator('[data-run-id="list_new_run"]')).waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
