import { ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import {
  FEEDBACK_DIALOG,
  invokeResponse,
  setCardAction,
  setTurnFacts,
  type CardAction,
  type CardInvokeResponse,
  type FeedbackResult,
  type RerouteResult,
  type SurveyRequest,
} from '../../dialogs/contracts';
import { FeedbackDialog } from '../../dialogs/feedbackDialog';
import type { RatingCommentDoc, RatingDoc, SurveyDoc } from '../../feedback/types';
import { t } from '../../locales';
import { openFeedback, type FeedbackFixture } from './setup';
import { testUnderstanding } from '../helpers/understanding';

type Locale = 'en' | 'id' | 'pl' | 'nb';
const LOCALES: Locale[] = ['en', 'id', 'pl', 'nb'];

/** What customers type in each language. */
const typed: Record<
  Locale,
  {
    four: string;
    /** Neither a rating nor a question. */
    unreadable: string;
    another: string;
    question: string;
    complaint: string;
    comment: string;
    /** A rating with a comment in one message: high, and low. */
    fiveWithComment: string;
    twoWithComment: string;
  }
> = {
  en: {
    four: 'four',
    unreadable: 'blue elephant',
    question: 'how do I change my wifi password',
    complaint: 'this is unacceptable, my internet is still down',
    fiveWithComment: '5 but the wait was long',
    twoWithComment: 'the agent was nice, but 2',
    another: 'purple monkey dishwasher',
    comment: 'Quick and clear',
  },
  id: {
    four: 'empat',
    unreadable: 'gajah biru',
    question: 'bagaimana cara ganti password wifi',
    complaint: 'kecewa banget, internet masih mati',
    fiveWithComment: '5, agennya ramah banget',
    twoWithComment: '2 soalnya nunggu lama',
    another: 'kucing ungu terbang',
    comment: 'Cepat dan jelas',
  },
  pl: {
    four: 'cztery',
    unreadable: 'niebieski słoń',
    question: 'jak zmienić hasło do wifi',
    complaint: 'skandal, internet dalej nie działa',
    fiveWithComment: 'piątka, ale długo czekałem',
    twoWithComment: '2 bo nikt nie odpisywał',
    another: 'fioletowa małpa',
    comment: 'Szybko i jasno',
  },
  nb: {
    four: 'fire',
    unreadable: 'blå elefant',
    question: 'hvordan bytter jeg wifi-passord',
    complaint: 'helt uakseptabelt, nettet er fortsatt nede',
    fiveWithComment: '5, men ventetiden var lang',
    twoWithComment: '2 fordi det tok lang tid',
    another: 'lilla ape',
    comment: 'Raskt og tydelig',
  },
};

const EPISODE = 'ep-1';
const CUSTOMER = 'user-1';

/** The lead's bot in miniature: turn facts, card actions from Submit values and Execute invokes, the dialog. */
class Harness {
  result: FeedbackResult | RerouteResult | undefined;
  status: DialogTurnStatus | undefined;
  invoke: CardInvokeResponse | undefined;
  readonly adapter: TestAdapter;
  readonly dialog: FeedbackDialog;

  constructor(
    readonly fx: FeedbackFixture,
    readonly locale: Locale,
    readonly channel: string,
    options: SurveyRequest,
  ) {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty('dialogState'));
    this.dialog = new FeedbackDialog(fx.feedback, testUnderstanding());
    dialogs.add(this.dialog);
    this.adapter = new TestAdapter(
      async (context) => {
        setTurnFacts(context, {
          locale,
          conversationId: 'conv-1',
          customerId: context.activity.from.id,
          channel,
        });
        setCardAction(context, actionOf(context));
        const dc = await dialogs.createContext(context);
        const turn = await dc.continueDialog();
        const ended =
          turn.status === DialogTurnStatus.empty ? await dc.beginDialog(FEEDBACK_DIALOG, options) : turn;
        this.status = ended.status;
        if (ended.status === DialogTurnStatus.complete)
          this.result = ended.result as FeedbackResult | RerouteResult;
        this.invoke = invokeResponse(context);
        await state.saveChanges(context);
      },
      {
        channelId: channel,
        locale,
        conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
      },
    );
  }

  /** Sends an activity from `from` (the customer by default); returns the texts of the bot's replies. */
  async send(activity: Partial<Activity>, from = CUSTOMER): Promise<string[]> {
    await this.adapter.processActivity({ ...activity, from: { id: from, name: from } });
    const replies = this.adapter.activeQueue.splice(0);
    return replies.filter((a) => a.type === 'message').map((a) => a.text ?? '');
  }

  say = (text: string, from?: string) => this.send({ type: 'message', text }, from);
  submit = (score: number, from?: string, episodeId = EPISODE) =>
    this.send({ type: 'message', value: { verb: 'rating.submit', episodeId, score } }, from);
  execute = (score: number, from?: string, episodeId = EPISODE) =>
    this.send(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'rating.submit',
            data: { verb: 'rating.submit', episodeId, score },
          },
        },
      },
      from,
    );

  /** Starts the survey (the first turn begins the dialog) and returns the first reply activity. */
  async start(): Promise<Partial<Activity> | undefined> {
    await this.adapter.processActivity({
      type: 'event',
      name: 'survey',
      from: { id: CUSTOMER, name: CUSTOMER },
    });
    return this.adapter.activeQueue.splice(0)[0];
  }

  t(key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]): string {
    return t(this.locale, key, params);
  }

  ratings = () => this.fx.db.collection<RatingDoc>('ratings').find({});
  comments = () => this.fx.db.collection<RatingCommentDoc>('ratingComments').find({});
  survey = () => this.fx.db.collection<SurveyDoc>('surveys').findOne({ _id: EPISODE });
}

/** What the lead's bot derives from the activity: an Execute invoke or a Submit message value. */
function actionOf(context: TurnContext): CardAction | undefined {
  const { activity } = context;
  const value: unknown = activity.value;
  if (typeof value !== 'object' || value === null) return undefined;
  if (
    activity.type === 'invoke' &&
    'action' in value &&
    typeof value.action === 'object' &&
    value.action !== null
  ) {
    const action = value.action as { verb: string; data: Record<string, unknown> };
    return { verb: action.verb, data: action.data, via: 'execute' };
  }
  if (activity.type === 'message' && 'verb' in value && typeof value.verb === 'string') {
    return { verb: value.verb, data: { ...value }, via: 'submit' };
  }
  return undefined;
}

let fx: FeedbackFixture;
beforeEach(async () => {
  fx = await openFeedback();
});
afterEach(async () => {
  await fx.db.close();
});

async function survey(locale: Locale, options: Partial<SurveyRequest> = {}, channel = 'webchat') {
  const h = new Harness(fx, locale, channel, { episodeId: EPISODE, resolution: 'self-service', ...options });
  const first = await h.start();
  return { h, first };
}

describe.each(LOCALES)('FeedbackDialog in %s', (locale) => {
  it('when the survey starts, then the rating card and the question come in the customer language', async () => {
    const { h, first } = await survey(locale);
    expect(first?.text).toBe(h.t('feedback.prompt'));
    const card = first?.attachments?.[0]?.content as {
      actions: { type: string; title: string; data: unknown }[];
    };
    expect(card.actions.map((a) => a.type)).toEqual(Array(5).fill('Action.Submit'));
    expect(card.actions[3]?.data).toEqual({ verb: 'rating.submit', episodeId: EPISODE, score: 4 });
    expect(JSON.stringify(card)).toContain(h.t('feedback.cardTitle'));
  });

  it.each([
    ['a number word', (l: Locale) => typed[l].four],
    ['"4/5"', () => '4/5'],
    [
      '"4 out of 5" in the locale',
      (l: Locale) => ({ en: '4 out of 5', id: '4 dari 5', pl: '4 z 5', nb: '4 av 5' })[l],
    ],
    ['a run of stars', () => '⭐⭐⭐⭐'],
  ])('when the customer types %s, then 4 is stored once and a comment is offered', async (_name, text) => {
    const { h } = await survey(locale);
    expect(await h.say(text(locale))).toEqual([
      `${h.t('feedback.thanks', { score: 4 })} ${h.t('feedback.commentOffer')}`,
    ]);
    expect(await h.say(h.t('common.skip'))).toEqual([h.t('feedback.noComment')]);
    expect(h.result).toEqual({ kind: 'rated', score: 4 });
    expect((await h.ratings()).map((r) => [r.score, r.locale])).toEqual([[4, locale]]);
  });

  it('when the customer answers the comment offer with "nothing", then no comment is stored', async () => {
    const { h } = await survey(locale);
    await h.say('4');
    const nothing = { en: 'nothing', id: 'gak ada', pl: 'nic', nb: 'ingenting' }[locale];
    expect(await h.say(nothing)).toEqual([h.t('feedback.noComment')]);
    expect(await h.comments()).toEqual([]);
  });

  it('when the customer presses a card button, then the score is stored and the comment kept', async () => {
    const { h } = await survey(locale);
    await h.submit(4);
    expect(await h.say(typed[locale].comment)).toEqual([h.t('feedback.commentThanks')]);
    expect(h.status).toBe(DialogTurnStatus.complete);
    expect((await h.ratings()).map((r) => r.score)).toEqual([4]);
    expect((await h.comments()).map((c) => c.text)).toEqual([typed[locale].comment]);
  });

  it('when a Teams customer presses Execute, then the card is replaced by the thanks card', async () => {
    const { h, first } = await survey(locale, {}, 'msteams');
    const card = first?.attachments?.[0]?.content as { actions: { type: string; verb?: string }[] };
    expect(card.actions.every((a) => a.type === 'Action.Execute' && a.verb === 'rating.submit')).toBe(true);
    expect(await h.execute(4)).toEqual([h.t('feedback.commentOffer')]);
    expect(h.invoke?.statusCode).toBe(200);
    expect(h.invoke?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(h.invoke?.value)).toContain(h.t('feedback.cardThanks', { score: 4 }));
    expect((await h.ratings()).map((r) => [r.score, r.channel])).toEqual([[4, 'msteams']]);
  });

  it('when the answer is unusable twice, then the survey is let go and the message rerouted', async () => {
    const { h } = await survey(locale);
    expect(await h.say(typed[locale].unreadable)).toEqual([h.t('feedback.askAgain')]);
    expect(await h.say(typed[locale].another)).toEqual([]);
    expect(h.result).toEqual({ kind: 'reroute', unread: true });
    expect((await h.survey())?.status).toBe('no-response');
    expect(await h.ratings()).toHaveLength(0);
  });

  it('when the customer asks a question instead of rating, then the survey is let go at once and the question rerouted', async () => {
    const { h } = await survey(locale);
    expect(await h.say(typed[locale].question)).toEqual([]);
    expect(h.result).toEqual({ kind: 'reroute', unread: false });
    expect((await h.survey())?.status).toBe('no-response');
  });

  it('when the customer says goodbye instead of rating, then the bot says goodbye and the survey goes unanswered', async () => {
    const { h } = await survey(locale);
    const bye = {
      en: 'ok thanks, bye',
      id: 'udah ya, makasih',
      pl: 'dobra, dzięki, pa',
      nb: 'ok, takk, ha det',
    }[locale];
    expect(await h.say(bye)).toEqual([h.t('common.goodbye')]);
    expect(h.result).toEqual({ kind: 'rated' });
    expect((await h.survey())?.status).toBe('no-response');
    expect(await h.ratings()).toHaveLength(0);
  });

  it('when the customer complains instead of rating, then the survey is let go at once and the complaint rerouted', async () => {
    const { h } = await survey(locale);
    expect(await h.say(typed[locale].complaint)).toEqual([]);
    // Rerouted as a complaint: the router takes it as one, however it reads the message alone.
    expect(h.result).toEqual({ kind: 'reroute', unread: false, complaint: true });
  });

  it('when the rating comes with a comment in one message, then both are stored and no comment is asked for', async () => {
    const { h } = await survey(locale);
    expect(await h.say(typed[locale].fiveWithComment)).toEqual([
      h.t('feedback.thanksWithComment', { score: 5 }),
    ]);
    expect(h.result).toEqual({ kind: 'rated', score: 5 });
    expect((await h.ratings()).map((r) => r.score)).toEqual([5]);
    expect((await h.comments()).map((c) => c.text)).toEqual([typed[locale].fiveWithComment]);
  });

  it('when a low rating comes with a comment in one message, then the bot apologises and offers the call-back with both', async () => {
    const { h } = await survey(locale);
    expect(await h.say(typed[locale].twoWithComment)).toEqual([
      [
        h.t('feedback.thanksWithComment', { score: 2 }),
        h.t('feedback.sorry'),
        h.t('feedback.callbackOffer'),
      ].join(' '),
    ]);
    expect(await h.say(h.t('common.yes'))).toEqual([]);
    expect(h.result).toEqual({
      kind: 'callback',
      rating: { score: 2, comment: typed[locale].twoWithComment },
    });
  });

  it('when the score is low, then the bot apologises, takes a comment and hands the accepted call-back on with score and comment', async () => {
    const { h } = await survey(locale);
    expect(await h.say('2')).toEqual([`${h.t('feedback.thanks', { score: 2 })} ${h.t('feedback.apology')}`]);
    expect(await h.say(typed[locale].comment)).toEqual([
      `${h.t('feedback.commentThanks')} ${h.t('feedback.callbackOffer')}`,
    ]);
    // The survey says nothing more: the escalation dialog asks how to reach the customer (tests/feedback/callback.test.ts).
    expect(await h.say(h.t('common.yes'))).toEqual([]);
    expect(h.result).toEqual({ kind: 'callback', rating: { score: 2, comment: typed[locale].comment } });
  });

  it.each<[unknown]>([[0], [6], [4.5], [-1], [null], [true], ['abc']])(
    'when a press carries the score %p, then nothing is stored and the rating is asked again',
    async (score) => {
      const { h } = await survey(locale);
      expect(
        await h.send({ type: 'message', value: { verb: 'rating.submit', episodeId: EPISODE, score } }),
      ).toEqual([h.t('feedback.askAgain')]);
      expect(await h.ratings()).toHaveLength(0);
      expect(await h.submit(4)).toHaveLength(1);
      expect((await h.ratings()).map((r) => r.score)).toEqual([4]);
    },
  );

  it('when someone else presses the card, then it is refused politely and the numbers stay', async () => {
    const { h } = await survey(locale);
    expect(await h.submit(1, 'someone-else')).toEqual([h.t('feedback.notYourSurvey')]);
    expect(await h.ratings()).toHaveLength(0);
    expect(await h.submit(5)).toHaveLength(1);
    expect((await h.ratings()).map((r) => r.score)).toEqual([5]);
  });
});

describe('FeedbackDialog rules', () => {
  it('when the survey of the episode was already sent, then the dialog ends silently', async () => {
    await fx.feedback.openSurvey({
      episodeId: EPISODE,
      conversationId: 'conv-1',
      customerId: CUSTOMER,
      locale: 'en',
      channel: 'webchat',
      resolution: 'self-service',
    });
    const { h, first } = await survey('en');
    expect(first).toBeUndefined();
    expect(h.result).toEqual({ kind: 'rated' });
  });

  it('when the agent snapshot is given at send time, then the rating carries it', async () => {
    const { h } = await survey('en', { resolution: 'agent', agentId: 'agent-anna', caseId: 'case-9' });
    await h.say('5');
    expect((await h.ratings())[0]).toMatchObject({ resolution: 'agent', agentId: 'agent-anna' });
  });

  it('when the same button is pressed twice, then one rating is stored and the second press is just thanked', async () => {
    const { h } = await survey('en');
    await h.submit(4);
    expect(await h.submit(4)).toEqual([h.t('feedback.thanks', { score: 4 })]);
    expect(await h.ratings()).toHaveLength(1);
  });

  it('when the customer presses another button while asked for a comment, then the rating changes and the comment is asked as the new score asks it', async () => {
    const { h } = await survey('en');
    await h.submit(4);
    expect(await h.submit(2)).toEqual([
      `${h.t('feedback.changed', { score: 2 })} ${h.t('feedback.apology')}`,
    ]);
    expect(await h.say(h.t('common.skip'))).toEqual([
      `${h.t('feedback.noComment')} ${h.t('feedback.callbackOffer')}`,
    ]);
    expect(await h.say('no')).toEqual([h.t('feedback.callbackDeclined')]);
    expect(h.result).toEqual({ kind: 'rated', score: 2 });
    expect((await h.ratings()).map((r) => r.score)).toEqual([2]);
  });

  it('when the card is pressed after the survey ended, then the change is taken outside the dialog', async () => {
    const { h } = await survey('en');
    await h.say('5');
    await h.say('skip');
    expect(h.status).toBe(DialogTurnStatus.complete);
    const action = { verb: 'rating.submit', data: { episodeId: EPISODE, score: 3 }, via: 'submit' } as const;
    const replies: string[] = [];
    await h.adapter.processActivity(
      { type: 'message', value: action.data, from: { id: CUSTOMER, name: '' } },
      async (ctx) => {
        setTurnFacts(ctx, {
          locale: 'en',
          conversationId: 'conv-1',
          customerId: CUSTOMER,
          channel: 'webchat',
        });
        await h.dialog.onStrayAction(ctx, action);
      },
    );
    replies.push(...h.adapter.activeQueue.splice(0).map((a) => a.text ?? ''));
    expect(replies).toEqual([t('en', 'feedback.changed', { score: 3 })]);
    expect((await h.ratings()).map((r) => r.score)).toEqual([3]);
  });

  it('when a low-score customer answers the call-back offer unclearly twice, then no case is made and the text rerouted', async () => {
    const { h } = await survey('en');
    await h.say('1');
    await h.say('skip');
    expect(await h.say('hmm')).toEqual([h.t('feedback.callbackAgain')]);
    expect(await h.say('what are your opening hours')).toEqual([]);
    expect(h.result).toEqual({ kind: 'reroute', unread: true });
    expect((await h.survey())?.status).toBe('answered');
  });

  it('when help is asked in the middle, then the reprompt repeats the current question', async () => {
    const { h } = await survey('pl');
    await h.say('5');
    const replies: string[] = [];
    await h.adapter.processActivity(
      { type: 'message', text: 'pomoc', from: { id: CUSTOMER, name: '' } },
      async (ctx) => {
        setTurnFacts(ctx, {
          locale: 'pl',
          conversationId: 'conv-1',
          customerId: CUSTOMER,
          channel: 'webchat',
        });
        const state = new ConversationState(new MemoryStorage());
        const dialogs = new DialogSet(state.createProperty('x'));
        dialogs.add(h.dialog);
        await h.dialog.repromptDialog(ctx, {
          id: FEEDBACK_DIALOG,
          state: { episodeId: EPISODE, step: 'comment', misses: 0, score: 5 },
        });
      },
    );
    replies.push(...h.adapter.activeQueue.splice(0).map((a) => a.text ?? ''));
    expect(replies).toEqual([t('pl', 'feedback.commentOffer')]);
  });
});
