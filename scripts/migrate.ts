/** `npm run migration:run` / `npm run migration:revert`: for operators who migrate separately from the start. */
import { loadConfig } from '../src/config/app.config';
import { resolveDatabase } from '../src/database/database-location';
import { revertLastMigration, runMigrations } from '../src/database/migrate';

async function main(): Promise<void> {
  const action = process.argv[2];
  if (action !== 'run' && action !== 'revert') throw new Error('usage: migrate run|revert');
  const database = await resolveDatabase(loadConfig(), (line) => console.log(line));
  try {
    if (action === 'run') {
      const applied = await runMigrations(database.url);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the schema is current');
    } else {
      await revertLastMigration(database.url);
      console.log('reverted the last applied migration');
    }
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
