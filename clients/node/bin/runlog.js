#!/usr/bin/env node
/**
 * The `runlog` command (package.json "bin", so `npx runlog ...` works after `npm install`).
 * `runlog token` runs the server's own token script (it needs the server's secret and settings),
 * compiling the project first when it was never built or when a source the script imports, directly
 * or through others, is newer than the compiled script; everything else is the client's CLI.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Every TypeScript file `entry` imports, directly or through the files it imports (relative
 * specifiers only: packages are not the project's sources), `entry` included. Read with a regular
 * expression, not the compiler: a few dozen small files, read in milliseconds.
 */
function sourcesOf(entry) {
  const seen = new Set();
  const todo = [path.resolve(entry)];
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(specifiers)) {
      const base = path.resolve(path.dirname(file), match[1]);
      const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => candidate.endsWith('.ts') && fs.existsSync(candidate));
      if (found) todo.push(found);
    }
  }
  return [...seen].sort();
}

function token(argv) {
  const source = path.join(ROOT, 'scripts', 'token.ts');
  const script = path.join(ROOT, 'dist', 'scripts', 'token.js');
  if (!fs.existsSync(source)) {
    console.error('runlog: `runlog token` works inside the runlog repository (it signs with the server\'s secret)');
    return 2;
  }
  const built = fs.existsSync(script) ? fs.statSync(script).mtimeMs : -1;
  if (sourcesOf(source).some((file) => fs.statSync(file).mtimeMs > built)) {
    console.error('runlog: compiling the project for the token script (once, until its sources change)');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (compiled.status !== 0) return compiled.status ?? 1;
    // The build is incremental: a script whose own output did not change is not rewritten. Its time
    // says "built from these sources", so that the next token is signed without compiling again.
    const now = new Date();
    fs.utimesSync(script, now, now);
  }
  // The script's own words name `npm run token --`; here it is `runlog token`.
  const run = spawnSync(process.execPath, [script, ...argv], { stdio: ['inherit', 'pipe', 'pipe'], cwd: process.cwd(), encoding: 'utf8' });
  const reworded = (text) => (text || '').replace(/npm run token --(?: |$)/gm, 'runlog token ').replace(/^token: /gm, 'runlog token: ');
  process.stdout.write(reworded(run.stdout));
  process.stderr.write(reworded(run.stderr));
  return run.status ?? 1;
}

module.exports = { sourcesOf };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === 'token') {
    process.exitCode = token(args.slice(1));
  } else {
    require('../dist/cli.js')
      .main(args)
      .then((code) => process.exit(code), (error) => {
        console.error(`runlog: ${error && error.message ? error.message : String(error)}`);
        process.exit(2);
      });
  }
}
