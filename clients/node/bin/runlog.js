#!/usr/bin/env node
/**
 * The `runlog` command (package.json "bin", so `npx runlog ...` works after `npm install`).
 * `runlog token` runs the server's own token script (it needs the server's secret and settings),
 * compiling the project once if it was never built; everything else is the client's CLI.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');

const args = process.argv.slice(2);
if (args[0] === 'token') {
  const root = path.resolve(__dirname, '..', '..', '..');
  const script = path.join(root, 'dist', 'scripts', 'token.js');
  if (!fs.existsSync(path.join(root, 'scripts', 'token.ts'))) {
    console.error('runlog: `runlog token` works inside the runlog repository (it signs with the server\'s secret)');
    process.exit(2);
  }
  const inputs = ['scripts/token.ts', 'src/config/app.config.ts', ...fs.readdirSync(path.join(root, 'src', 'auth')).map((f) => `src/auth/${f}`)];
  const sources = inputs.map((file) => path.join(root, file));
  const stale = !fs.existsSync(script) || sources.some((file) => fs.statSync(file).mtimeMs > fs.statSync(script).mtimeMs);
  if (stale) {
    console.error('runlog: compiling the project for the token script (once, until its sources change)');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const run = spawnSync(process.execPath, [script, ...args.slice(1)], { stdio: 'inherit', cwd: process.cwd() });
  process.exit(run.status ?? 1);
}
require('../dist/cli.js')
  .main(args)
  .then((code) => process.exit(code), (error) => {
    console.error(`runlog: ${error && error.message ? error.message : String(error)}`);
    process.exit(2);
  });
