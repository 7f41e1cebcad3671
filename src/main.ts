/**
 * `npm start`: resolve the database (embedded by default), migrate, serve HTTP, and in embedded mode
 * with an empty database run the demo onboarding batch once so there is something to look at.
 */
import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { JWT_SECRET_INFO, JwtSecretInfo } from './auth/auth.module';
import { TokenService } from './auth/token.service';
import { loadConfig } from './config/app.config';
import { resolveDatabase } from './database/database-location';
import { runMigrations } from './database/migrate';
import { seedDemoRunIfEmpty } from './orchestrator/demo-seed';

async function main(): Promise<void> {
  const logger = new Logger('runlog');
  const say = (line: string) => console.log(`runlog: ${line}`); // eslint-disable-line no-console
  const config = loadConfig();
  const database = await resolveDatabase(config, say);
  let app: INestApplication | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app?.close().catch((e) => logger.error(e));
    await database.stop().catch((e) => logger.error(e));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (config.runMigrations) {
    const applied = await runMigrations(database.url);
    if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  }
  app = await createApp({ config, databaseUrl: database.url, logger: ['warn', 'error', 'fatal'] });
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  say(`listening on ${url} (database: ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  say(`health: ${url}/health   API docs: ${url}/api/docs`);
  if (app.get<JwtSecretInfo>(JWT_SECRET_INFO).generated) {
    // Embedded mode signs with a secret kept in the data dir: hand the local admin a ready token.
    // 12 h, unless AUTH_MAX_TOKEN_TTL allows less (a longer token would be refused).
    const hours = Math.min(12, config.authMaxTokenTtl / 3600);
    const token = await app.get(TokenService).issue({ sub: 'admin-local', role: 'admin', ttl: Math.floor(hours * 3600) });
    say(`admin token (${Number.isInteger(hours) ? hours : hours.toFixed(2)}h; more with: npm run token -- --role admin): ${token}`);
    say(`console: ${url}/admin#token=${token}`);
  }
  if (config.seedDemoRun) {
    const started = await seedDemoRunIfEmpty(app, config);
    if (started) say(`demo onboarding batch started: ${started}`);
  }
}

main().catch((error) => {
  // eslint-disable-next-line no-console
  console.error(`runlog failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
