/**
 * The console's pure modules (src/admin-console/public/*-model.js, ansi.js, player.js ...) unit-tested
 * under plain node, without a browser: every test/console/units/*.test.mjs is a node:test file that
 * imports them by relative path. Each file runs in its own `node --test` child (bounded in time), one
 * jest test per file, failing with node's report when any of its tests fails. A file added to the
 * folder is picked up without touching this one.
 *
 * src/admin-console/public/package.json says "type": "module", so node loads those .js files as the ES
 * modules the browser loads (the console serves only .html/.js/.css/.svg: that file is not served).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const UNITS_DIR = path.join(__dirname, 'units');
const FILE_TIMEOUT_MS = 30_000;

const files = fs.readdirSync(UNITS_DIR).filter((name) => name.endsWith('.test.mjs')).sort();

describe('console unit tests under node (node --test)', () => {
  it('finds the unit test files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (name) => {
    const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', path.join(UNITS_DIR, name)], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: FILE_TIMEOUT_MS,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.error) throw new Error(`node --test ${name} did not finish: ${result.error.message}\n${output}`);
    if (result.status !== 0) throw new Error(`node --test ${name} failed (exit ${result.status ?? result.signal}):\n${output}`);
    // A file that ran no test at all is a mistake, not a pass.
    expect(output).toMatch(/tests [1-9]\d*/);
  }, FILE_TIMEOUT_MS + 5_000);
});
