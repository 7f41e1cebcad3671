/** Jest global teardown: stops the embedded PostgreSQL of global-setup and deletes its data directory. */
import { promises as fs } from 'fs';
import type { TestPostgresHandle } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const handle: TestPostgresHandle | undefined = globalThis.__runlogTestPostgres;
  globalThis.__runlogTestPostgres = undefined;
  try {
    await handle?.embedded?.stop();
  } finally {
    if (handle?.dataDir) await fs.rm(handle.dataDir, { recursive: true, force: true });
  }
}
