import type { Config } from '../../config';
import { createApp, type App } from '../../server/app';
import { EmbeddedDatabase } from '../../storage/embedded';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { ManualClock } from '../storage/manualClock';
import { testConfig } from '../helpers/config';
import { ConnectorStandIn } from '../helpers/connector';
import { ADMIN_TOKEN, botClient, type BotClient } from '../helpers/harness';
import { testUnderstanding } from '../helpers/understanding';

/** One running app: its URL, and a client speaking to it as a customer's channel or as staff. */
export interface Instance extends BotClient {
  app: App;
  url: string;
}

export interface TwoInstances {
  a: Instance;
  b: Instance;
  /** The store both apps share (as two App Service instances share MongoDB). */
  db: Database;
  /** The Bot Connector stand-in both apps send to. */
  connector: ConnectorStandIn;
  clock: ManualClock;
  /** Stops both apps (the last one closes the shared store) and the connector. */
  close(): Promise<void>;
}

/**
 * Two complete apps, each `createApp(config, { db })` on its own port, over one shared in-memory embedded
 * store: what two instances behind a load balancer share. Both start at once (their first starts race, as
 * instances of a new deployment do). `config` applies to both.
 */
export async function startTwoInstances(
  options: { config?: Partial<Record<keyof Config, string>> } = {},
): Promise<TwoInstances> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const clock = new ManualClock(new Date());
  const db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
  await ensureIndexes(db);
  const config = testConfig({ ADMIN_TOKEN, ...options.config });
  const start = async (): Promise<Instance> => {
    const app = await createApp(config, { db, clock, understanding: testUnderstanding() });
    const { url } = await app.start(0);
    return { app, url, ...botClient(() => url, connector) };
  };
  const [a, b] = await Promise.all([start(), start()]);
  return {
    a,
    b,
    db,
    connector,
    clock,
    async close() {
      await Promise.all([a.app.stop(), b.app.stop()]);
      await connector.stop();
    },
  };
}

/**
 * Polls `probe` until it gives a value (not undefined) and returns it; fails after a generous deadline (what
 * one instance wrote reaches the other within moments: this is a functional check, not a speed one).
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  deadlineMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
