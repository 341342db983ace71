import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config';
import { DirectLineAuthentication, type DirectLineLink } from './directline/link';

/**
 * The CloudAdapter, with the activity pipeline exposed so that the HTTP route and the embedded Direct Line
 * both hand an already validated activity to the same code path (and so that errors are shaped by us,
 * not echoed with internal messages as CloudAdapter.process does).
 */
export class BotAdapter extends CloudAdapter {
  handle(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return typeof auth === 'string'
      ? this.processActivity(auth, activity, logic)
      : this.processActivity(auth, activity, logic);
  }
}

/**
 * The adapter with the configured Bot Framework authentication, reusing connector clients; turns of the
 * embedded Direct Line (when `link` is given) use no Bot Framework credentials, whatever is configured.
 */
export function createAdapter(config: Config, link?: DirectLineLink): BotAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
  return new BotAdapter(new DirectLineAuthentication(auth, link));
}
