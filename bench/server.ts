/**
 * A runlog instance in a process of its own (for RSS measurements): boots on BENCH_SERVER_DATABASE_URL,
 * prints {"port":…} and serves until its stdin closes or it gets SIGTERM.
 */
import { startBenchApp } from './lib/apps';

async function main(): Promise<void> {
  const app = await startBenchApp(process.env.BENCH_SERVER_DATABASE_URL!);
  const port = Number(new URL(app.baseUrl).port);
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
  const stop = async () => {
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
