import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
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
import { registerSharedAssets } from '../../server/sharedAssets';
import { registerWebChat } from '../../server/webchatRoutes';
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
  const link = new DirectLineLink(() => url, options.appId);
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
  const directLine: EmbeddedDirectLine = registerDirectLine(server, {
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
    close: async () => {
      directLine.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}
