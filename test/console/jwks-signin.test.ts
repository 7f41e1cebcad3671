/**
 * The admin console with an identity provider's tokens (issue #15), in a real headless Chromium: runlog
 * configured with only a JWKS (a real endpoint on 127.0.0.1, keys made in the test), an admin whose
 * role comes from a mapped group signs in by pasting the token and through the #token= link; a token
 * whose groups map to no role is refused with the server's reason.
 */
import { describeWithBrowser, eventually, launchBrowser, TestBrowser, TOKEN_KEY } from '../support/browser';
import { demoRun } from '../support/console-data';
import { FakeProvider, makeKey } from '../support/jwks-provider';
import { startTestApp, TestApp } from '../support/test-app';

describeWithBrowser('admin console: signing in with an identity provider token (JWKS)', () => {
  const provider = new FakeProvider();
  let t: TestApp;
  let tb: TestBrowser;
  let demoId: string;

  beforeAll(async () => {
    await provider.start();
    provider.keys = [makeKey('RS256')];
    t = await startTestApp({
      listen: true,
      env: {
        AUTH_JWT_SECRET: '',
        AUTH_JWKS_URL: provider.jwksUrl,
        AUTH_ISSUER: provider.issuer,
        AUTH_AUDIENCE: provider.audience,
        AUTH_ROLE_CLAIM: 'groups',
        AUTH_ROLE_MAP: '{"runlog-admins":"admin"}',
      },
    });
    tb = await launchBrowser();
    demoId = await demoRun(t, 0);
  });

  afterAll(async () => {
    await tb?.close();
    await t?.close();
    await provider.stop();
  });

  it('a pasted JWKS-signed admin token signs in and lists runs; one without a mapped group is refused, saying why', async () => {
    const { context, page, errors } = await tb.newPage();
    await page.goto(`${t.baseUrl}/admin`);
    await page.locator('#signin[open]').waitFor();

    await page.locator('#signin-token').fill(await provider.sign({ sub: 'bob@example.com', groups: ['staff'] }));
    await page.locator('#signin-submit').click();
    await eventually(async () => expect(await page.locator('#signin-error').textContent()).toContain('grants no runlog role (claim groups)'));

    const admin = await provider.sign({ sub: 'alice@example.com', groups: ['staff', 'runlog-admins'] });
    await page.locator('#signin-token').fill(`Bearer ${admin}`);
    await page.keyboard.press('Enter');
    await page.locator('#signin').waitFor({ state: 'hidden' });
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    const session = await page.locator('#session').textContent();
    expect(session).toContain('Signed in as alice@example.com');
    expect(session).not.toContain('(?)'); // the role is in groups, not readable as `role`: not shown rather than guessed
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(admin);

    // A run's page: details and the live stream work with the same token.
    await page.locator(`tr[data-run-id="${demoId}"] a`).first().click();
    await page.locator('h1', { hasText: demoId }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the #token= link with a JWKS-signed admin token signs in', async () => {
    const { context, page, errors } = await tb.newPage();
    const admin = await provider.sign({ sub: 'carol@example.com', groups: ['runlog-admins'] });
    await page.goto(`${t.baseUrl}/admin#token=${admin}`);
    await page.locator(`tr[data-run-id="${demoId}"]`).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/admin#/runs`);
    expect(await page.locator('#session').textContent()).toContain('carol@example.com');
    expect(errors).toEqual([]);
    await context.close();
  });
});
