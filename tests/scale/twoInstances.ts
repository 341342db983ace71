import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Config } from '../../config';
import { createApp, type App, type AppOverrides } from '../../server/app';
import { EmbeddedDatabase } from '../../storage/embedded';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { ManualClock } from '../storage/manualClock';
import { testConfig } from '../helpers/config';
import { ConnectorStandIn } from '../helpers/connector';
import { ADMIN_TOKEN, botClient, type BotClient } from '../helpers/harness';
import { testUnderstanding } from '../helpers/understanding';

/**
 * One running app: its own URL (bypassing the balancer), and a client speaking to it there as a customer's
 * channel or as staff.
 */
export interface Instance extends BotClient {
  app: App;
  url: string;
}

/**
 * A load balancer in front of two instances: HTTP requests and WebSocket upgrades go to the instance `target`
 * names at the moment they arrive (the test decides, so every request's instance is known).
 */
export interface Balancer {
  url: string;
  target: 'a' | 'b';
}

export interface TwoInstances {
  a: Instance;
  b: Instance;
  /** PUBLIC_URL of both instances: the web chat, stream URLs and the bot's replies go through it. */
  balancer: Balancer;
  /** The store both apps share (as two App Service instances share MongoDB). */
  db: Database;
  /** The Bot Connector stand-in both apps send to. */
  connector: ConnectorStandIn;
  clock: ManualClock;
  /** Stops both apps (the last to stop closes the shared store), the balancer and the connector. */
  close(): Promise<void>;
}

/**
 * Two complete apps, each `createApp(config, { db })` on its own port, over one shared in-memory embedded
 * store, behind a balancer that is their PUBLIC_URL: what two instances behind a load balancer share. Both
 * start at once (their first starts race, as instances of a new deployment do). `config` and `leasePolicy`
 * apply to both. `leasesInDocuments`: the apps get the store through a view of it, not as the embedded
 * database itself, so they keep their leases in documents, as they do on MongoDB (storage/index.ts leaseTables).
 */
export async function startTwoInstances(
  options: {
    config?: Partial<Record<keyof Config, string>>;
    leasePolicy?: AppOverrides['leasePolicy'];
    leasesInDocuments?: boolean;
    /** Each app trains its own understanding models at start (with the stored lessons) instead of sharing one. */
    freshUnderstanding?: boolean;
  } = {},
): Promise<TwoInstances> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const clock = new ManualClock(new Date());
  const db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
  await ensureIndexes(db);
  const shared: Database = options.leasesInDocuments
    ? {
        kind: db.kind,
        collection: (name) => db.collection(name),
        ping: () => db.ping(),
        close: () => db.close(),
      }
    : db;
  const ports = { a: 0, b: 0 };
  const balancer = await startBalancer((target) => ports[target]);
  const config = testConfig({ ADMIN_TOKEN, PUBLIC_URL: balancer.url, ...options.config });
  const start = async (name: 'a' | 'b'): Promise<Instance> => {
    const app = await createApp(config, {
      db: shared,
      clock,
      ...(options.freshUnderstanding ? {} : { understanding: testUnderstanding() }),
      ...(options.leasePolicy ? { leasePolicy: options.leasePolicy } : {}),
    });
    // The instance's own address: the URL start() gives is PUBLIC_URL, the balancer.
    ports[name] = (await app.start(0)).port;
    const url = `http://127.0.0.1:${ports[name]}`;
    return { app, url, ...botClient(() => url, connector) };
  };
  const [a, b] = await Promise.all([start('a'), start('b')]);
  return {
    a,
    b,
    balancer: balancer.state,
    db,
    connector,
    clock,
    async close() {
      await Promise.all([a.app.stop(), b.app.stop()]);
      await balancer.close();
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

async function startBalancer(
  portOf: (target: 'a' | 'b') => number,
): Promise<{ state: Balancer; url: string; close(): Promise<void> }> {
  const state: Balancer = { url: '', target: 'a' };
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: portOf(state.target),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(portOf(state.target), '127.0.0.1', () => {
      upstream.write(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n${headerLines(req.headers)}\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url: state.url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerLines(headers: IncomingHttpHeaders): string {
  return Object.entries(headers)
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}\r\n`),
    )
    .join('');
}
