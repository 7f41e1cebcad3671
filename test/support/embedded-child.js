/**
 * Child process for the embedded-PostgreSQL tests: starts embedded PostgreSQL on
 * the data directory given as argv[2], prints one JSON line {"url": ...} to
 * stdout, then idles until killed; with 'stop' among the further arguments it
 * stops the server instead and leaves nothing to do, so the process should end
 * by itself; with 'no-watchdog' it starts no watchdog (RUNLOG_PG_WATCHDOG=false).
 *
 * Plain JS run by plain `node`, so it exercises the non-Jest code path (no
 * test sandbox). It loads the TypeScript source by transpiling it on the fly
 * with the project's own `typescript` package (ts-node is not installed).
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};

const { startEmbeddedPostgres } = require(path.join(__dirname, '../../src/database/embedded-postgres.ts'));

const flags = process.argv.slice(3);
const watchdog = !flags.includes('no-watchdog');
startEmbeddedPostgres({ dataDir: process.argv[2], watchdog, log: (line) => process.stderr.write(`${line}\n`) }).then(
  (db) => {
    process.stdout.write(`${JSON.stringify({ url: db.url })}\n`);
    if (flags.includes('stop')) return db.stop(); // and then nothing is left to keep the process alive
    setInterval(() => undefined, 60_000); // Idle; the test kills the whole process group.
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
