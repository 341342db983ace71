import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

export interface Recorded {
  method: string;
  conversationId: string;
  /** The activity named in the path (an update or a delete), if any. */
  activityId?: string;
  activity: Partial<Activity>;
}

/**
 * Stands in for the Bot Connector service: records every activity the bot sends (replies and proactive
 * messages) and answers like the service does. `failNext(status, n, code)` makes the next n sends fail with that
 * status and Bot Connector error code.
 */
export class ConnectorStandIn {
  readonly sent: Recorded[] = [];
  private readonly server: Server;
  private failures: Array<{ status: number; code: string }> = [];
  private held: Array<Promise<void>> = [];
  /** Sends received whose answer is still held. */
  pending = 0;
  private waiters: Array<() => void> = [];
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      void readJson(req).then(async (body) => {
        const hold = this.held.shift();
        if (hold) {
          this.pending++;
          for (const wake of this.waiters.splice(0)) wake();
          await hold;
          this.pending--;
        }
        const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        const failure = this.failures.shift();
        if (failure) {
          // restify patches ServerResponse.writeHead globally and it no longer returns `this`.
          res.writeHead(failure.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: failure.code, message: 'The stand-in refused.' } }));
          return;
        }
        if (match?.[1]) {
          this.sent.push({
            method: req.method ?? '',
            conversationId: decodeURIComponent(match[1]),
            ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
            activity: body as Partial<Activity>,
          });
          for (const wake of this.waiters.splice(0)) wake();
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `a${this.sent.length}` }));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Holds the answer to the next send until the returned function is called (a slow channel). */
  holdNext(): () => void {
    let release = (): void => undefined;
    this.held.push(new Promise<void>((resolve) => (release = resolve)));
    return () => release();
  }

  failNext(status: number, times = 1, code = 'Fail'): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, code });
  }

  /** Texts sent to one conversation, in order. */
  textsTo(conversationId: string): string[] {
    return this.sent.filter((r) => r.conversationId === conversationId).map((r) => r.activity.text ?? '');
  }

  /** Resolves once `predicate` holds for what was sent (polls on every new send; gives up after 10 s). */
  async waitFor(predicate: (sent: Recorded[]) => boolean, what = 'the expected activity'): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!predicate(this.sent)) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}
