/**
 * The admin console in a real headless Chromium: signing in (pasted token, #token= link), the runs list
 * and its filters, a run's details and entry count, TXT and JSON downloads checked against the API, and
 * the readable errors of a 401 (sign in again, keeping the page) and a 429 (when to retry).
 */
import * as fs from 'fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { describeWithBrowser, eventually, launchBrowser, presetToken, TestBrowser, TOKEN_KEY } from '../support/browser';
import { demoRun, DEMO_PORTFOLIO, failedRun } from '../support/console-data';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

describeWithBrowser('admin console: sign-in, runs list, run details and downloads', () => {
  let t: TestApp;
  let tb: TestBrowser;
  let demoId: string;
  let failedId: string;

  /** The API's own answer, to compare the console's files with (supertest: no keep-alive socket left open). */
  const api = async (path: string, sub = 'admin-api') =>
    request(t.baseUrl).get(path).set('Authorization', `Bearer ${await tokenFor('admin', sub)}`).buffer(true).expect(200);

  /** A page whose requests are watched: a token must never appear in a URL. */
  async function openPage(token?: string) {
    const { context, page, errors } = await tb.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    if (token) await presetToken(page, token);
    const tokenInUrl = (value: string) => urls.filter((u) => u.includes(value) && !u.includes('#'));
    return { context, page, errors, urls, tokenInUrl };
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '2' } });
    tb = await launchBrowser();
    demoId = await demoRun(t, 0);
    failedId = await failedRun(t);
  });

  afterAll(async () => {
    await tb?.close();
    await t?.close();
  });

  const runIds = (page: Page) => page.locator('table.runs tbody tr[data-run-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.runId));

  it('signs in with a pasted token (refusing a non-admin one), keeps it in sessionStorage, lists runs newest first', async () => {
    const { context, page, errors, tokenInUrl } = await openPage();
    await page.goto(`${t.baseUrl}/admin`);
    await page.locator('#signin[open]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-token');

    // A user token is refused with a reason the reader can act on.
    await page.locator('#signin-token').fill(await tokenFor('user', 'someone'));
    await page.locator('#signin-submit').click();
    await eventually(async () => expect(await page.locator('#signin-error').textContent()).toContain('role "user"'));

    const admin = await tokenFor('admin', 'admin-paste');
    await page.locator('#signin-token').fill(admin);
    await page.keyboard.press('Enter');
    await page.locator('#signin').waitFor({ state: 'hidden' });
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    expect(await runIds(page)).toEqual([failedId, demoId]);
    expect(await page.locator('#session').textContent()).toContain('admin-paste');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(admin);

    const failedRow = page.locator(`tr[data-run-id="${failedId}"]`);
    expect(await failedRow.locator('.badge').textContent()).toBe('failed');
    expect(await failedRow.textContent()).toMatch(/1 done \/ 1 failed of 3/);
    expect(await page.locator(`tr[data-run-id="${demoId}"]`).textContent()).toMatch(/12 done \/ 0 failed of 12/);

    // Still signed in after a reload (same tab).
    await page.reload();
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    expect(await page.locator('#signin').isVisible()).toBe(false);

    // Filters: by status, by portfolio (checked as a UUID first), kept in the address.
    await page.locator('#filter-status').selectOption('failed');
    await eventually(async () => expect(await runIds(page)).toEqual([failedId]));
    expect(page.url()).toContain('#/runs?status=failed');
    await page.locator('#filter-status').selectOption('');
    await page.locator('#filter-portfolio').fill('not-a-uuid');
    await page.locator('#filter-portfolio').press('Enter');
    expect(await page.locator('#filter-error').textContent()).toContain('must be a UUID');
    await page.locator('#filter-portfolio').fill(DEMO_PORTFOLIO);
    await page.locator('#filter-portfolio').press('Enter');
    await eventually(async () => expect(await runIds(page)).toEqual([demoId]));
    expect(page.url()).toContain(`portfolio=${DEMO_PORTFOLIO}`);

    expect(tokenInUrl(admin)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs in from the start banner\'s #token= link and removes the token from the address bar', async () => {
    const { context, page, errors, tokenInUrl } = await openPage();
    const admin = await tokenFor('admin', 'admin-link');
    await page.goto(`${t.baseUrl}/admin#token=${admin}`);
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/admin#/runs`);
    expect(await page.locator('#session').textContent()).toContain('admin-link');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(admin);
    expect(tokenInUrl(admin)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();

    // A link whose token is refused opens the sign-in dialog saying why.
    const other = await openPage();
    await other.page.goto(`${t.baseUrl}/admin#token=not.a.token`);
    await other.page.locator('#signin[open]').waitFor();
    expect(await other.page.locator('#signin-reason').textContent()).toMatch(/link's token cannot be used: The token was refused/);
    expect(other.page.url()).toBe(`${t.baseUrl}/admin#/runs`);
    await other.context.close();
  });

  it('opens a run: all its fields, the entry count, and TXT and JSON downloads whose files match the API', async () => {
    const { context, page, errors, tokenInUrl } = await openPage();
    const admin = await tokenFor('admin', 'admin-download');
    await presetToken(page, admin);
    await page.goto(`${t.baseUrl}/admin#/runs`);
    await page.locator(`a.run-link:text-is("${demoId}")`).click();
    expect(page.url()).toContain(`#/runs/${demoId}`);

    const { count } = (await api(`/api/v1/admin/batch/history/${demoId}/logs/count`)).body;
    expect(count).toBeGreaterThan(30);
    await page.locator(`#log-count[data-count="${count}"]`).waitFor();
    const details = await page.locator('dl.details').innerText();
    for (const text of [demoId, DEMO_PORTFOLIO, 'demo-owner', 'completed', 'Total jobs\n12', 'Failed jobs\n0', `Log entries\n${count}`]) expect(details).toContain(text);
    expect(await page.locator('.phases tbody tr').last().innerText()).toMatch(/Phase 7: Portfolio Snapshot\s+completed/);
    expect(await page.locator('.phases tbody tr').count()).toBe(8);
    expect(await page.locator('.run-head .badge').textContent()).toBe('completed');

    // TXT
    const [txt] = await Promise.all([page.waitForEvent('download'), page.locator('button.download[data-format="txt"]').click()]);
    expect(txt.suggestedFilename()).toBe(`${demoId}_logs.txt`);
    const txtBody = fs.readFileSync((await txt.path())!, 'utf8');
    const apiTxt = (await api(`/api/v1/admin/batch/history/${demoId}/logs?format=txt`, 'admin-api-txt')).text;
    const entries = (body: string) => body.slice(body.indexOf('-'.repeat(72)));
    expect(txtBody).toContain(`Batch run:   ${demoId}`);
    expect(entries(txtBody)).toBe(entries(apiTxt));
    expect(txtBody.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))).toHaveLength(count);
    await eventually(async () => expect(await page.locator('#download-status').textContent()).toContain(`Saved ${demoId}_logs.txt: ${count} entries`));

    // JSON
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('button.download[data-format="json"]').click()]);
    expect(json.suggestedFilename()).toBe(`${demoId}_logs.json`);
    const file = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'));
    expect(file).toMatchObject({ batch_run_id: demoId, portfolio_id: DEMO_PORTFOLIO, status: 'completed', entry_count: count });
    expect(file.entries).toHaveLength(count);
    expect(file.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    const apiJson = (await api(`/api/v1/admin/batch/history/${demoId}/logs?format=json`, 'admin-api-json')).body;
    expect(file.entries).toEqual(apiJson.entries);
    await eventually(async () => expect(await page.locator('#download-status').textContent()).toContain(`Saved ${demoId}_logs.json`));
    expect(await page.locator('button.download:disabled').count()).toBe(0);

    expect(tokenInUrl(admin)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a 429 says when to retry; the buttons stay usable', async () => {
    const { context, page, errors } = await openPage(await tokenFor('admin', 'admin-429'));
    await page.goto(`${t.baseUrl}/admin#/runs/${failedId}`);
    await page.locator('#log-count[data-count]').waitFor();
    const ndjson = page.locator('button.download[data-format="ndjson"]');
    for (let i = 0; i < 2; i += 1) {
      const [download] = await Promise.all([page.waitForEvent('download'), ndjson.click()]);
      const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).seq)).toEqual(lines.map((_, j) => j + 1));
    }
    await ndjson.click(); // the per-minute budget of 2 is spent
    await eventually(async () => expect(await page.locator('#download-status').textContent()).toMatch(/Too many downloads.*Try again in \d+ s \(at /));
    expect(await page.locator('#download-status').getAttribute('class')).toContain('error');
    expect(await ndjson.isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a 401 asks to sign in again and carries on where the reader was (run, filters, the download itself)', async () => {
    // Long enough to open the run even on a busy machine; then the test waits for it to expire.
    const short = await tokenFor('admin', 'admin-short', 12);
    const { context, page, errors } = await openPage(short);
    await page.goto(`${t.baseUrl}/admin#/runs?status=completed`);
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    await page.locator(`a.run-link:text-is("${demoId}")`).click();
    await page.locator('#log-count[data-count]').waitFor();

    const exp = JSON.parse(Buffer.from(short.split('.')[1], 'base64url').toString()).exp * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp - Date.now() + 300)));

    const download = page.waitForEvent('download');
    await page.locator('button.download[data-format="txt"]').click();
    await page.locator('#signin[open]').waitFor();
    expect(await page.locator('#signin-reason').textContent()).toMatch(/session ended.*token expired.*keeps its place/);
    await page.locator('#signin-token').fill(await tokenFor('admin', 'admin-again'));
    await page.locator('#signin-submit').click();
    const file = await download; // the same click's download, finished with the new token
    expect(file.suggestedFilename()).toBe(`${demoId}_logs.txt`);
    expect(page.url()).toContain(`#/runs/${demoId}`);
    expect(await page.locator('#session').textContent()).toContain('admin-again');

    await page.locator('nav.crumbs a').click();
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    expect(await page.locator('#filter-status').inputValue()).toBe('completed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
