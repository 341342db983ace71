import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Config } from '../../config';
import type { Logger } from '../../core/logger';
import { createApp, type App } from '../../server/app';
import { ManualClock } from '../storage/manualClock';
import { testConfig } from './config';
import { openSuiteDatabase } from './testDatabase';
import { ConnectorStandIn } from './connector';
import { testUnderstanding } from './understanding';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** What a test does with one running app over HTTP (as a customer's channel or as staff). */
export interface BotClient {
  /** POSTs any JSON body to /api/messages. */
  post(body: unknown, headers?: Record<string, string>): Promise<globalThis.Response>;
  /** Sends a customer message and returns the bot's replies (deliveryMode expectReplies). */
  say(text: string, options?: Partial<Customer> & { value?: unknown }): Promise<Partial<Activity>[]>;
  /** Sends any activity from the customer (conversationUpdate, invoke, …) and returns the replies. */
  send(activity: Partial<Activity>, customer?: Partial<Customer>): Promise<Partial<Activity>[]>;
  /** fetch() against the app with an admin or agent token. */
  api(path: string, init?: RequestInit & { token?: string }): Promise<globalThis.Response>;
}

export interface TestBot extends BotClient {
  app: App;
  url: string;
  /** Stops the app and starts a new one on the same store (needs `dataDir`): what survives a restart. */
  restart(): Promise<void>;
  connector: ConnectorStandIn;
  clock: ManualClock;
  close(): Promise<void>;
}

export interface Customer {
  conversationId: string;
  userId: string;
  locale: string;
  channelId: string;
}

/**
 * A maker of new customers for one test file, each in a conversation of its own (`<prefix>-1`, `<prefix>-2`, …), so
 * no test meets another's dialog state.
 */
export function newCustomers(prefix: string): (locale: string) => Omit<Customer, 'channelId'> {
  let made = 0;
  return (locale) => {
    made += 1;
    return { locale, conversationId: `${prefix}-${made}`, userId: `${prefix}-user-${made}` };
  };
}

/**
 * Starts the whole app in-process on port 0 with a fresh store (tests/helpers/testDatabase.ts), a manual clock and a local
 * stand-in for the Bot Connector. Each test file gets its own app.
 */
export async function startTestBot(
  overrides: Partial<Record<keyof Config, string>> = {},
  options: {
    dataDir?: string;
    log?: Logger;
    /** Train the understanding models at every (re)start, with the stored lessons, instead of sharing them. */
    freshUnderstanding?: boolean;
  } = {},
): Promise<TestBot> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const clock = new ManualClock(new Date());
  const config = testConfig({ ADMIN_TOKEN, ...overrides });
  const boot = async (): Promise<{ app: App; url: string }> => {
    const db = await openSuiteDatabase(clock, options.dataDir);
    const app = await createApp(config, {
      db,
      clock,
      ...(options.freshUnderstanding ? {} : { understanding: testUnderstanding() }),
      ...(options.log ? { log: options.log } : {}),
    });
    const started = await app.start(0);
    // With PUBLIC_URL the app names its public address; the test reaches it where it listens.
    return { app, url: config.PUBLIC_URL ? `http://127.0.0.1:${started.port}` : started.url };
  };
  let { app, url } = await boot();

  return {
    get app() {
      return app;
    },
    get url() {
      return url;
    },
    async restart() {
      if (!options.dataDir) throw new Error('restart() needs a dataDir');
      await app.stop();
      ({ app, url } = await boot());
    },
    connector,
    clock,
    ...botClient(() => url, connector),
    async close() {
      await app.stop();
      await connector.stop();
    },
  };
}

/**
 * A client of the app at `url()` (read at every call: a restart changes the port): customer activities come
 * from `connector`'s channel, staff calls carry the admin token unless another is given.
 */
export function botClient(url: () => string, connector: ConnectorStandIn): BotClient {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const send = async (activity: Partial<Activity>, customer: Partial<Customer> = {}) => {
    const who: Customer = {
      conversationId: customer.conversationId ?? 'conv-1',
      userId: customer.userId ?? 'user-1',
      locale: customer.locale ?? 'en-US',
      channelId: customer.channelId ?? 'webchat',
    };
    const response = await post({
      id: randomUUID(),
      channelId: who.channelId,
      serviceUrl: connector.url,
      from: { id: who.userId, name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
      conversation: { id: who.conversationId, conversationType: 'personal' },
      locale: who.locale,
      timestamp: new Date().toISOString(),
      deliveryMode: 'expectReplies',
      ...activity,
    });
    if (response.status !== 200) throw new Error(`bot answered ${response.status}: ${await response.text()}`);
    const text = await response.text();
    const body = text ? (JSON.parse(text) as { activities?: Partial<Activity>[] }) : {};
    return body.activities ?? [];
  };

  return {
    post,
    send,
    say: (text, options = {}) =>
      send(
        { type: 'message', text, ...(options.value === undefined ? {} : { value: options.value }) },
        options,
      ),
    api: (path, init = {}) => {
      const { token = ADMIN_TOKEN, headers, ...rest } = init;
      return fetch(`${url()}${path}`, {
        ...rest,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(headers ?? {}) },
      });
    },
  };
}

/** The texts of a list of replies. */
export const texts = (activities: Partial<Activity>[]): string[] =>
  activities.filter((a) => a.type === 'message').map((a) => a.text ?? '');

/**
 * A web chat customer (`locale`) who wrote once and asked for a person: their case waits in the queue, opened as
 * the handoff service opens it.
 */
export async function queuedCase(bot: TestBot, conversationId: string, summary: string, locale = 'en') {
  await bot.say('hello', { conversationId, userId: `${conversationId}-user`, locale });
  return bot.app.handoff.open({
    conversationId,
    customerId: `${conversationId}-user`,
    locale,
    channel: 'webchat',
    reason: 'request',
    summary,
  });
}
