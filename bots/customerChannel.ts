import type { Activity, TurnContext } from 'botbuilder';
import { markdownAsPlainText } from '../cards/plainText';
import { escapeMarkdown } from '../core/markdown';
import type { CustomerChannel, Delivery, SurveyRequest } from '../handoff/types';
import type { ProactiveMessenger } from './proactive';

/** The channels of Web Chat (the embedded Direct Line's and Azure's): the chat page shows a sender named in channelData. */
const WEB_CHAT_CHANNELS = new Set(['webchat', 'directline']);

/**
 * What Web Chat reads from a message's channelData: the person who wrote it (web/chat/chat.js shows their name
 * and initials), and the text screen readers hear, which names them (Web Chat's own greeting says "Bot … said").
 */
export interface SenderChannelData {
  sender: { name: string };
  'webchat:fallback-text': string;
}

/**
 * A text for the customer as an activity of their channel. A member of staff's text (`sender` set) is marked
 * as theirs: in Web Chat (channelData) the page shows their name and initials and screen readers hear their
 * name; every other channel (Teams, where a bot cannot post as someone else) gets their name as a bold first line.
 */
export function textActivity(channelId: string, text: string, sender?: string): Partial<Activity> {
  const message = { type: 'message', textFormat: 'markdown' } as const;
  if (sender === undefined) return { ...message, text };
  if (WEB_CHAT_CHANNELS.has(channelId)) {
    const channelData: SenderChannelData = {
      sender: { name: sender },
      'webchat:fallback-text': `${sender}: ${markdownAsPlainText(text)}`,
    };
    return { ...message, text, channelData };
  }
  return { ...message, text: `**${escapeMarkdown(sender)}**\n\n${text}` };
}

/**
 * How services reach a customer outside the customer's own turn: a text (agent messages, case updates) or the
 * satisfaction survey, both in a proactive turn through the stored conversation reference.
 */
export class ProactiveCustomerChannel implements CustomerChannel {
  constructor(
    private readonly proactive: ProactiveMessenger,
    private readonly runSurvey: (context: TurnContext, options: SurveyRequest) => Promise<void>,
  ) {}

  sendText(conversationId: string, text: string, sender?: string): Promise<Delivery> {
    return this.proactive.continue(conversationId, async (context) => {
      await this.proactive.sendInTurn(context, textActivity(context.activity.channelId, text, sender));
    });
  }

  startSurvey(conversationId: string, options: SurveyRequest): Promise<Delivery> {
    return this.proactive.continue(conversationId, (context) => this.runSurvey(context, options));
  }
}
