import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../config/app.config';
import { resolveJwtSecret } from './jwt-secret';

describe('resolveJwtSecret', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-jwt-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const embedded = (dataDir: string) => loadConfig({ RUNLOG_DATA_DIR: dataDir });

  it('embedded mode: generates the secret once (creating dataDir) and reuses it', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = resolveJwtSecret(embedded(dataDir));
    expect(first.generated).toBe(true);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(fs.readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first.secret);

    const second = resolveJwtSecret(embedded(dataDir));
    expect(second).toEqual({ secret: first.secret, generated: true });
    expect(fs.readdirSync(dataDir)).toEqual(['jwt-secret']); // no temp files left behind
  });

  it('writes the secret file readable by the owner only (0600)', () => {
    resolveJwtSecret(embedded(dir));
    expect(fs.statSync(path.join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('AUTH_JWT_SECRET wins over the file, and no file is created', () => {
    const secret = 's'.repeat(32);
    expect(resolveJwtSecret(loadConfig({ RUNLOG_DATA_DIR: dir, AUTH_JWT_SECRET: secret }))).toEqual({ secret, generated: false });
    expect(resolveJwtSecret(loadConfig({ AUTH_JWT_SECRET: secret, DATABASE_URL: 'postgres://db/runlog' })).secret).toBe(secret);
    expect(fs.existsSync(path.join(dir, 'jwt-secret'))).toBe(false);
  });

  it('refuses DATABASE_URL without AUTH_JWT_SECRET', () => {
    const config = loadConfig({ RUNLOG_DATA_DIR: dir, DATABASE_URL: 'postgres://db/runlog' });
    expect(() => resolveJwtSecret(config)).toThrow(/^AUTH_JWT_SECRET must be set when DATABASE_URL is set: /);
    expect(fs.existsSync(path.join(dir, 'jwt-secret'))).toBe(false);
  });

  it('refuses an AUTH_JWT_SECRET shorter than 32 characters', () => {
    expect(() => resolveJwtSecret(loadConfig({ AUTH_JWT_SECRET: 's'.repeat(31) }))).toThrow(/at least 32 characters/);
  });

  it('refuses a secret file that was truncated or hand-edited to something short', () => {
    fs.writeFileSync(path.join(dir, 'jwt-secret'), 'short\n');
    expect(() => resolveJwtSecret(embedded(dir))).toThrow(/shorter than 32 characters; delete it/);
  });
});
