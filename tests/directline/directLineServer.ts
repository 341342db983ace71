import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { WebSocket } from 'ws';
import type { Clock } from '../../core/clock';
import { createLogger } from '../../core/logger';
import { t } from '../../locales';
import { BotAdapter } from '../../server/adapter';
import { DirectLineAuthentication, DirectLineLink } from '../../server/directline/link';
import {
  registerDirectLine,
  type DirectLineLimits,
  type EmbeddedDirectLine,
} from '../../server/directline/routes';
import { createHttpServer } from '../../server/http';
import { sharedSigningKey } from '../../server/directline/tokens';
import { registerSharedAssets } from '../../server/sharedAssets';
import { registerWebChat } from '../../server/webchatRoutes';
import { EmbeddedDatabase } from '../../storage/embedded';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { testConfig } from '../helpers/config';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  private at = Date.parse('2025-03-01T10:00:00Z');
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export const TEST_BOT_NAME = 'Test bot';

/**
 * A tiny bot: welcomes in the conversation's language, echoes messages, and on "edit me" sends a reply and
 * then updates it. Enough to see every path of the embedded Direct Line.
 */
export async function echoBot(context: TurnContext): Promise<void> {
  const { activity } = context;
  const language = (activity.locale ?? 'en').split('-')[0] ?? 'en';
  if (activity.type === 'conversationUpdate') {
    const someoneElse = activity.membersAdded?.some((m) => m.id !== activity.recipient.id);
    if (someoneElse) await context.sendActivity(t(language, 'common.welcome', { botName: TEST_BOT_NAME }));
    return;
  }
  if (activity.type !== 'message') return;
  if (activity.text === 'edit me') {
    const sent = await context.sendActivity('first version');
    await context.updateActivity({ ...activity, type: 'message', id: sent?.id, text: 'second version' });
    return;
  }
  await context.sendActivity(`echo: ${activity.text}`);
}

export interface DirectLineServer {
  url: string;
  clock: TestClock;
  link: DirectLineLink;
  adapter: BotAdapter;
  /** Where the Direct Line keeps its conversations. */
  db: Database;
  close(): Promise<void>;
}

/**
 * restify + BotAdapter + the embedded Direct Line on port 0, on the app's server set-up (createHttpServer).
 * `appId`/`appPassword` set credentials that must never be used.
 */
export async function startDirectLineServer(
  options: {
    limits?: Partial<DirectLineLimits>;
    appId?: string;
    appPassword?: string;
    maxBodyBytes?: number;
    /** Also serve the web chat page with this configuration. */
    webChat?: Parameters<typeof testConfig>[0];
    /** Azure's Direct Line as the web chat sees it (with DIRECT_LINE_SECRET). */
    azureDirectLineUrl?: string;
  } = {},
): Promise<DirectLineServer> {
  const log = createLogger('silent');
  const server = createHttpServer({
    name: 'direct-line-test',
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    log,
  });
  const clock = new TestClock();
  let url = '';
  const db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
  await ensureIndexes(db);
  const signingKey = await sharedSigningKey(db, undefined);
  const link = new DirectLineLink(signingKey, () => url, options.appId);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: options.appId ?? '',
    MicrosoftAppPassword: options.appPassword ?? '',
    MicrosoftAppType: 'MultiTenant',
  });
  const adapter = new BotAdapter(new DirectLineAuthentication(auth, link));
  if (options.webChat) {
    registerWebChat(server, {
      config: testConfig(options.webChat),
      origin: () => url,
      clock,
      log,
      azureDirectLineUrl: options.azureDirectLineUrl,
    });
    // The page's shared scripts (markdown check, language choice), as the app serves them.
    registerSharedAssets(server, { log });
  }
  const directLine: EmbeddedDirectLine = await registerDirectLine(server, {
    db,
    signingKey,
    adapter,
    botLogic: echoBot,
    link,
    clock,
    log,
    botName: TEST_BOT_NAME,
    limits: options.limits,
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    clock,
    link,
    adapter,
    db,
    close: async () => {
      await directLine.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await db.close();
    },
  };
}

/** A WebSocket on the stream, with the texts it receives and a promise of its close (or refusal status). */
export function followStream(url: string) {
  const ws = new WebSocket(url);
  const texts: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    const set = JSON.parse(data.toString('utf8')) as { activities: Array<{ text?: string }> };
    texts.push(...set.activities.map((a) => a.text ?? ''));
    for (const wake of waiters.splice(0)) wake();
  });
  const opened = new Promise<number>((resolve) => {
    ws.on('open', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  const received = async (text: string): Promise<void> => {
    while (!texts.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { ws, opened, closed, received, texts };
}
