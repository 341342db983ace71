import type { TurnContext } from 'botbuilder';
import type { CustomerChannel, Delivery, SurveyRequest } from '../handoff/types';
import type { ProactiveMessenger } from './proactive';

/**
 * How services reach a customer outside the customer's own turn: a text (agent messages, case updates) or the
 * satisfaction survey, both in a proactive turn through the stored conversation reference.
 */
export class ProactiveCustomerChannel implements CustomerChannel {
  constructor(
    private readonly proactive: ProactiveMessenger,
    private readonly runSurvey: (context: TurnContext, options: SurveyRequest) => Promise<void>,
  ) {}

  sendText(conversationId: string, text: string): Promise<Delivery> {
    return this.proactive.send(conversationId, { type: 'message', text, textFormat: 'markdown' });
  }

  startSurvey(conversationId: string, options: SurveyRequest): Promise<Delivery> {
    return this.proactive.continue(conversationId, (context) => this.runSurvey(context, options));
  }
}
