/** `npm run projections:rebuild`: empty the read models and replay every stream from the event store. */
import { loadConfig } from '../src/config/app.config';
import { resolveDatabase } from '../src/database/database-location';
import { runMigrations } from '../src/database/migrate';
import { createPgPool } from '../src/database/pg-pool';
import { rebuildProjections } from '../src/batch-runs/persistence/projection-rebuilder';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(config, (line) => console.log(line));
  const pool = createPgPool(database.url, 2);
  try {
    if (config.runMigrations) await runMigrations(database.url);
    const started = Date.now();
    const report = await rebuildProjections(pool);
    console.log(`projections rebuilt: ${report.streams} runs, ${report.events} events, ${report.entries} entries in ${Date.now() - started} ms`);
  } finally {
    await pool.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(`projections:rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
