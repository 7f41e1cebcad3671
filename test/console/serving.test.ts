/** The console's static files: served by runlog itself at /admin, public, with a strict CSP; nothing else reachable. */
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { consolePublicDirCandidates, findConsolePublicDir } from '../../src/admin-console/console-assets';
import { startTestApp, TestApp } from '../support/test-app';

describe('admin console files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  });
  afterAll(async () => t.close());

  it('serves the page at /admin and /admin/ without a token, with a strict Content-Security-Policy', async () => {
    for (const url of ['/admin', '/admin/']) {
      const res = await request(t.baseUrl).get(url).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<script type="module" src="/admin/app.js"></script>');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves every file the page loads, with its type, and nothing from another origin', async () => {
    const index = await request(t.baseUrl).get('/admin').expect(200);
    const dir = findConsolePublicDir(path.join(__dirname, '..', '..', 'src', 'admin-console'))!;
    const sources = [index.text, ...fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))];
    for (const text of sources) {
      expect(text).not.toMatch(/(src|href)=["']https?:|import\s.*from\s+['"]https?:|@import|cdn\./i);
      expect(text).not.toMatch(/\sstyle=["']|<script>(?!<)/); // no inline style or script for the CSP to block
    }
    const types: Record<string, RegExp> = { 'app.js': /^text\/javascript/, 'style.css': /^text\/css/, 'favicon.svg': /^image\/svg\+xml/ };
    for (const [file, type] of Object.entries(types)) {
      const res = await request(t.baseUrl).get(`/admin/${file}`).expect(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    // Every ES module the page imports is there.
    for (const text of sources) {
      for (const [, name] of text.matchAll(/from '\.\/([a-z-]+\.js)'/g)) await request(t.baseUrl).get(`/admin/${name}`).expect(200);
    }
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await request(t.baseUrl).get('/admin/app.js').expect(200);
    expect(first.headers.etag).toBeDefined();
    await request(t.baseUrl).get('/admin/app.js').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('serves only the files of its folder: unknown names and paths are 404', async () => {
    for (const url of ['/admin/nope.js', '/admin/..%2Fconsole-assets.ts', '/admin/%2e%2e%2f%2e%2e%2fpackage.json', '/admin/admin-console.controller.ts', '/admin/.hidden.js']) {
      await request(t.baseUrl).get(url).expect(404);
    }
    await request(t.baseUrl).get('/admin/x/../../package.json').expect(404);
  });

  it('finds its files from the compiled dist/src/admin-console as well as from src', () => {
    const root = path.join(__dirname, '..', '..');
    const fromSource = findConsolePublicDir(path.join(root, 'src', 'admin-console'));
    const fromDist = findConsolePublicDir(path.join(root, 'dist', 'src', 'admin-console'));
    expect(fromSource).toBe(path.join(root, 'src', 'admin-console', 'public'));
    expect(fromDist).toBe(path.join(root, 'src', 'admin-console', 'public'));
    expect(consolePublicDirCandidates('/x/dist/src/admin-console')).toContain('/x/src/admin-console/public');
  });

  it('keeps the console out of the OpenAPI document and the API closed', async () => {
    const doc = await request(t.baseUrl).get('/api/docs-json');
    if (doc.status === 200) expect(Object.keys(doc.body.paths)).not.toContain('/admin');
    await request(t.baseUrl).get('/api/v1/admin/batch/history').expect(401);
  });
});
