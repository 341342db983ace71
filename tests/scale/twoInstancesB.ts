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
import { ADMIN_TOKEN } from '../helpers/harness';
import { testUnderstanding } from '../helpers/understanding';

/**
 * A load balancer in front of two instances: HTTP requests and WebSocket upgrades go to the instance `target`
 * names at the moment they arrive (the test decides, so every request's instance is known).
 */
export interface Balancer {
  url: string;
  target: 'a' | 'b';
}

export interface TwoInstancesB {
  a: App;
  b: App;
  /** Each instance's own URL (bypassing the balancer). */
  urls: { a: string; b: string };
  /** PUBLIC_URL of both instances: the web chat, stream URLs and the bot's replies go through it. */
  balancer: Balancer;
  db: Database;
  connector: ConnectorStandIn;
  clock: ManualClock;
  close(): Promise<void>;
}

/**
 * A minimal helper of this branch (scale-a's `twoInstances.ts` was not on it): two complete apps,
 * `createApp(config, { db })` each, over one shared in-memory embedded store, behind a balancer that is their
 * PUBLIC_URL. Each app gets the store through a view whose `close()` does nothing; the store is closed last.
 */
export async function startTwoInstancesB(
  options: { config?: Partial<Record<keyof Config, string>>; leasePolicy?: AppOverrides['leasePolicy'] } = {},
): Promise<TwoInstancesB> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const clock = new ManualClock(new Date());
  const db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
  await ensureIndexes(db);
  const shared: Database = {
    kind: db.kind,
    collection: (name) => db.collection(name),
    ping: () => db.ping(),
    close: () => Promise.resolve(),
  };
  const ports = { a: 0, b: 0 };
  const balancer = await startBalancer((target) => ports[target]);
  const config = testConfig({ ADMIN_TOKEN, PUBLIC_URL: balancer.url, ...options.config });
  const start = async (): Promise<{ app: App; url: string; port: number }> => {
    const app = await createApp(config, {
      db: shared,
      clock,
      understanding: testUnderstanding(),
      ...(options.leasePolicy ? { leasePolicy: options.leasePolicy } : {}),
    });
    const { port } = await app.start(0);
    return { app, port, url: `http://127.0.0.1:${port}` };
  };
  const [a, b] = [await start(), await start()];
  ports.a = a.port;
  ports.b = b.port;
  return {
    a: a.app,
    b: b.app,
    urls: { a: a.url, b: b.url },
    balancer: balancer.state,
    db,
    connector,
    clock,
    async close() {
      await Promise.all([a.app.stop(), b.app.stop()]);
      await balancer.close();
      await connector.stop();
      await db.close();
    },
  };
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
