import { ConfigError, loadConfig } from './config';
import { createApp } from './server/app';

/** Composition root: config → app (database, services, adapter, bot, routes) → listen; stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.start();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
  } else {
    process.stderr.write(`The bot could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
