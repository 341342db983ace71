import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { createApp } from './server/app';

/**
 * Composition root: .env (if present; the environment wins) → config → app (database, services, adapter, bot,
 * routes) → listen; stop on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const loaded = loadConfig();
  // Outside production an unset ADMIN_TOKEN gets a random one for this run, shown once, so /admin and /agent
  // can be tried at once; production refuses to start without one (config.ts).
  const devToken = loaded.ADMIN_TOKEN ? undefined : randomBytes(18).toString('base64url');
  const config = devToken ? { ...loaded, ADMIN_TOKEN: devToken } : loaded;
  const app = await createApp(config);
  await app.start();
  if (devToken)
    app.log.warn({ adminToken: devToken }, 'ADMIN_TOKEN is not set: use this token for this run only');
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
