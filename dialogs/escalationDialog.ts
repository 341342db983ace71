import { EventFactory, type Activity, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogInstance,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Clock } from '../core/clock';
import { isRecord } from '../core/guards';
import { extractContact, hasEmailOrPhone } from '../language/contact';
import type { HandoffService } from '../handoff/service';
import { isOnlyContact, namesProblem, summaryOf, summaryWith } from '../handoff/summary';
import type { CaseView, Contact } from '../handoff/types';
import { t, type MessageKey } from '../locales';
import { isQuestion, type Understanding } from '../language/understanding';
import {
  asksToSend,
  besidesPersonRequest,
  clauseSpans,
  isNo,
  isYes,
  localeWords,
  phrasesIn,
  saysEnough,
  tokenize,
} from '../language/words';
import { renderRedactions } from '../privacy/redact';
import { noReview, type ReviewRecorder } from '../review/log';
import type { TranscriptLine } from '../storage/conversations';
import {
  ESCALATION_DIALOG,
  readMessage,
  requestClient,
  turnFacts,
  type EscalationOptions,
  type EscalationResult,
  type ExplainsStep,
} from './contracts';
import { declined, withButtons } from './replies';

/** What the dialog needs of the handoff service. */
export type EscalationHandoff = Pick<
  HandoffService,
  | 'admitRequest'
  | 'mayRequest'
  | 'open'
  | 'get'
  | 'modeFor'
  | 'closedUntil'
  | 'replyExpectation'
  | 'insteadOfCallback'
  | 'followupMessage'
  | 'leaveContact'
  | 'earlier'
  | 'endedWithoutPerson'
>;

/** The options, filled in step by step. */
interface EscalationState extends EscalationOptions {
  /** HANDOFF_MODE=external on a channel that allows event activities. */
  external?: boolean;
  /** Staff were away and the customer chose to leave a message. */
  leaveMessage?: boolean;
  /** When the escalation began (epoch ms): a case without a summary shows the messages up to then. */
  escalatedAt?: number;
  /** Empty when the customer gave no description. */
  summary?: string;
  contact?: Contact;
  /** The e-mail address or phone number the customer gave earlier in this conversation, offered again. */
  known?: Contact;
}

const FLOW = 'escalationFlow';
const DESCRIBE_PROMPT = 'escalationDescribe';
const CONTACT_PROMPT = 'escalationContact';
const CONFIRM_PROMPT = 'escalationConfirm';
/** "Shall I send it?": yes, no, or a new way to reach the customer ("use my phone 555 123 456 instead"). */
const SEND_PROMPT = 'escalationSend';
/** "Shall I send it?" again, after the customer gave a new contact in reply to it. */
const SEND_FLOW = 'escalationSendFlow';
/** The contact question again, after the customer asked a question there (kept with the request). */
const CONTACT_FLOW = 'escalationContactFlow';
/** Words from which a question typed at the contact step is one for staff ("is the promo still valid?"), not "why?". */
const QUESTION_MIN_WORDS = 3;

/** Anger from the cue detector at which the acknowledgement apologises as for a complaint. */
const APOLOGY_ANGER = 0.5;
/**
 * Replies the bot cannot read before it stops asking: at the contact question it goes on without a contact; at a
 * yes/no question it takes the answer that goes on with what the customer asked for (a person) and says so.
 */
const MAX_UNCLEAR_REPLIES = 3;

/**
 * Escalation to a person: acknowledge with empathy, ask what it is about (unless the customer already said; they
 * may skip it), ask for an e-mail or phone, confirm, then queue the case and tell the customer their place and,
 * while staff are present, the expected wait. With HANDOFF_MODE=external (never on Teams) the case goes to the
 * agent hub as a `handoff.initiate` event.
 *
 * A call-back (a message left while staff are away, or a low rating whose call-back the customer accepted) is
 * the same path, saved as a ticket by the one `handoff.open` call in `createStep`; it needs a way to reach the
 * customer: on Teams their account, elsewhere an e-mail or phone number. A customer who gives none is told
 * honestly that we cannot get back to them, and what they can do instead; nothing is saved. A contact given
 * earlier in the conversation is offered again; a conversation whose message is already saved is told how and
 * when it will hear from us instead (`alreadySaved`): out of hours always, in hours when it asks about it.
 */
export class EscalationDialog extends ComponentDialog implements ExplainsStep {
  constructor(
    private readonly handoff: EscalationHandoff,
    private readonly understanding: Understanding,
    private readonly clock: Clock,
    private readonly review: ReviewRecorder = noReview,
  ) {
    super(ESCALATION_DIALOG);
    this.addDialog(new TextPrompt(DESCRIBE_PROMPT, isDescription))
      .addDialog(new TextPrompt(CONTACT_PROMPT, (prompt) => this.isContactOrSkip(prompt)))
      .addDialog(new TextPrompt(CONFIRM_PROMPT, (prompt) => this.isAnswer(prompt)))
      .addDialog(
        new TextPrompt(
          SEND_PROMPT,
          async (prompt) =>
            hasContact(prompt) ||
            this.sendReply(prompt.recognized.value ?? '', turnFacts(prompt.context).locale) !== null ||
            (await this.isAnswer(prompt)),
        ),
      )
      .addDialog(
        new WaterfallDialog<EscalationState>(FLOW, [
          this.acknowledgeStep.bind(this),
          this.describeStep.bind(this),
          this.contactStep.bind(this),
          this.collectStep.bind(this),
          this.createStep.bind(this),
        ]),
      )
      .addDialog(
        new WaterfallDialog<EscalationState>(SEND_FLOW, [
          this.confirmStep.bind(this),
          this.createStep.bind(this),
        ]),
      )
      .addDialog(
        new WaterfallDialog<EscalationState>(CONTACT_FLOW, [
          this.contactAgainStep.bind(this),
          this.collectStep.bind(this),
          this.createStep.bind(this),
        ]),
      );
    this.initialDialogId = FLOW;
  }

  /**
   * Acknowledges with empathy. Outside business hours (never for a call-back, which is a message anyway) it
   * offers to leave a message instead, and nothing said before "our team is away" promises a person; unless a
   * message of this conversation is already saved. A client over its daily bound of requests
   * (HandoffService.mayRequest) is told at once that nothing can be passed on, before it describes the problem.
   */
  private async acknowledgeStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { locale, channel, conversationId } = turnFacts(step.context);
    const state = step.options;
    state.escalatedAt = this.clock.now().getTime();
    state.external = this.handoff.modeFor(channel) === 'external';
    const closedUntil =
      state.external || state.reason === 'low-rating' ? null : this.handoff.closedUntil(locale);
    const earlier = await this.handoff.earlier(conversationId);
    if (earlier.contact) state.known = earlier.contact;
    // With a message already saved for staff: away, what happens to it, never the offer to leave another one; in
    // hours too for a question about it ("ok and when will someone call me back?"), not a second hand-over.
    if (earlier.saved && (closedUntil !== null || asksAboutSaved(state, locale)))
      return this.alreadySaved(step, earlier.saved, locale);
    if (!(await this.handoff.mayRequest(requestClient(step.context), conversationId)))
      return this.notPassedOn(step, t(locale, 'handoff.requestLimit'));
    if (closedUntil === null) {
      await step.context.sendActivity(t(locale, acknowledgement(state)));
      return step.next();
    }
    if (acknowledgement(state) === 'handoff.ackComplaint')
      await step.context.sendActivity(t(locale, 'handoff.sorry'));
    state.leaveMessage = true;
    asking(step, 'confirm');
    return step.prompt(
      CONFIRM_PROMPT,
      yesNoPrompt(
        locale,
        t(locale, 'handoff.closedOffer', { when: closedUntil }),
        'handoff.closedOfferRetry',
      ),
    );
  }

  /** Asks what it is about, unless the message that led here already says enough. */
  private async describeStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { locale } = turnFacts(step.context);
    if (typeof step.result === 'string') {
      const answer = this.confirmed(step.result, locale);
      if (answer === 'no') return this.notPassedOn(step, t(locale, 'handoff.notSent'));
      // MAX_UNCLEAR_REPLIES replies that were neither: the customer asked for a person, so the message is left.
      if (answer === null) await step.context.sendActivity(t(locale, 'handoff.unclearLeaveMessage'));
    }
    const { options } = step;
    // A low rating has said what it had to say in its comment (or chose not to).
    if (options.reason === 'low-rating') return step.next(options.rating?.comment ?? '');
    // Enough when it names the problem ("my card was charged twice, I want a human", "ruteren virker ikke.
    // menneske takk"); the summary is then the message whole (handoff/summary.ts).
    if (namesProblem(options.text ?? '', locale)) return step.next(options.text);
    const skip = [t(locale, 'common.skip')];
    asking(step, 'describe');
    return step.prompt(DESCRIBE_PROMPT, {
      prompt: withButtons(t(locale, 'handoff.describe'), skip),
      retryPrompt: withButtons(t(locale, 'handoff.describeRetry'), skip),
    });
  }

  /**
   * Asks for an e-mail address or phone number (required for a call-back, else optional); not on Teams, whose
   * account of the customer reaches them.
   */
  private async contactStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { locale } = turnFacts(step.context);
    const state = step.options;
    const answer = String(step.result).trim();
    // A contact typed for the description ("jan@example.pl") is the contact, and no description; one in a
    // description ("internet down since Monday, call 0812 3456 7890") is offered at the contact question.
    const given = extractContact(answer);
    const onlyContact = isOnlyContact(answer);
    state.summary = declined(answer, locale) ? '' : summaryOf(answer, locale);
    const teams = teamsAccount(step.context);
    if (teams) {
      state.contact = { teams };
      return step.next();
    }
    // A call-back after a low rating accepted with a contact ("email me at jo@example.com"): that one, confirmed.
    const accepted = state.reason === 'low-rating' ? extractContact(step.context.activity.text ?? '') : {};
    if (onlyContact || hasEmailOrPhone(accepted)) {
      state.contact = hasEmailOrPhone(accepted) ? accepted : given;
      return step.next();
    }
    if (hasEmailOrPhone(given)) state.known = given;
    return this.askContact(step);
  }

  /** The contact question again after a question for staff (`questionForStaff`), saying that it goes with the request. */
  private contactAgainStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    return this.askContact(step, t(turnFacts(step.context).locale, 'handoff.questionKept'));
  }

  /** Asks how staff can reach the customer (the contact given earlier offered again), after `intro` if given. */
  private async askContact(
    step: WaterfallStepContext<EscalationState>,
    intro?: string,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(step.context);
    const state = step.options;
    const skip = t(locale, 'common.skip');
    const ask = isCallback(state) ? 'handoff.askCallbackContact' : 'handoff.askContact';
    asking(step, isCallback(state) ? 'callbackContact' : 'contact');
    const known = state.known && shownContact(state.known, locale);
    const [text, buttons] = known
      ? [t(locale, 'handoff.askContactKnown', { contact: known, skip }), [t(locale, 'common.yes'), skip]]
      : [t(locale, ask, { skip }), [skip]];
    return step.prompt(CONTACT_PROMPT, {
      prompt: withButtons(intro ? `${intro} ${text}` : text, buttons),
      retryPrompt: withButtons(t(locale, 'handoff.contactRetry', { skip }), [skip]),
      validations: state.known ?? {},
    });
  }

  /**
   * Takes the contact the customer gave (if one) and asks to confirm; a call-back without one ends here. A question
   * for staff typed instead ("promo ini masih berlaku?") joins what is passed on, and the contact is asked again.
   */
  private async collectStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { locale } = turnFacts(step.context);
    const state = step.options;
    const reply = String(step.result);
    const contact = state.contact ?? this.contactReply(step.context, reply, state.known);
    if (contact === undefined && questionForStaff(reply, locale)) {
      state.summary = summaryWith(state.summary ?? '', reply, locale);
      return step.replaceDialog(CONTACT_FLOW, state);
    }
    // After MAX_UNCLEAR_REPLIES replies that give neither, the bot goes on without a contact.
    state.contact = contact ?? {};
    if (!shownContact(state.contact, locale) && isCallback(state))
      return this.notPassedOn(
        step,
        `${t(locale, 'handoff.noContact')} ${this.handoff.insteadOfCallback(locale)}`,
      );
    return this.confirmStep(step);
  }

  /** Shows what will be passed on and asks to confirm. */
  private async confirmStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { locale } = turnFacts(step.context);
    const state = step.options;
    const shown = shownContact(state.contact ?? {}, locale);
    // What the customer wrote, as their own message shows it: "[card number removed]", never the stored token.
    const summary = state.summary
      ? renderRedactions(state.summary, locale)
      : t(locale, 'handoff.noDescription');
    const text = shown
      ? t(locale, 'handoff.confirmContact', { summary, contact: shown })
      : t(locale, 'handoff.confirm', { summary });
    asking(step, 'confirm');
    return step.prompt(SEND_PROMPT, yesNoPrompt(locale, text));
  }

  /**
   * Creates the case (queued, a ticket, or handed to the external hub) and tells the customer what next; a client
   * over its daily bound of requests (HandoffService.admitRequest: another of its requests was counted since this
   * one began) is told instead that nothing was passed on and what they can do. An e-mail
   * address or phone number in the reply replaces the one shown: with a yes it is sent at once ("yes, but call
   * 555 123 456"), otherwise the bot asks again with it ("no, use jan@example.com").
   */
  private async createStep(step: WaterfallStepContext<EscalationState>): Promise<DialogTurnResult> {
    const { context } = step;
    const facts = turnFacts(context);
    const { locale } = facts;
    const reply = String(step.result);
    const state = step.options;
    const given = extractContact(reply);
    const newContact = hasEmailOrPhone(given);
    if (newContact)
      state.contact = { ...(state.contact?.teams ? { teams: state.contact.teams } : {}), ...given };
    const answer = this.sendReply(reply, locale);
    if (answer !== 'yes' && newContact) return step.replaceDialog(SEND_FLOW, state);
    if (answer === 'more') {
      state.summary = summaryWith(state.summary ?? '', reply, locale);
      return step.replaceDialog(SEND_FLOW, state);
    }
    if (answer === 'no') return this.notPassedOn(step, t(locale, 'handoff.notSent'));
    // "yes, and also the router is blinking red": sent with what follows the yes.
    if (answer === 'yes')
      state.summary = summaryWith(state.summary ?? '', addedAfterYes(reply, locale), locale);
    // MAX_UNCLEAR_REPLIES replies that were neither: the customer asked for a person, so it is sent.
    if (answer === null) await context.sendActivity(t(locale, 'handoff.unclearSend'));
    if (!(await this.handoff.admitRequest(requestClient(context), facts.conversationId)))
      return this.notPassedOn(step, t(locale, 'handoff.requestLimit'));
    const opened = await this.handoff.open({
      conversationId: facts.conversationId,
      customerId: facts.customerId,
      locale,
      channel: facts.channel,
      reason: state.reason,
      summary: state.summary ?? '',
      contact: state.contact ?? {},
      ...(state.rating ? { rating: state.rating } : {}),
      ...(state.escalatedAt === undefined ? {} : { escalatedAt: new Date(state.escalatedAt) }),
      ...(state.anger === undefined ? {} : { anger: state.anger }),
      mode: state.external ? 'external' : 'internal',
    });
    const caseId = opened.caseDoc.id;
    if (state.external) {
      const { transcript } = await this.handoff.get(caseId);
      await context.sendActivity(t(locale, 'handoff.externalConnecting'));
      await context.sendActivity(
        EventFactory.createHandoffInitiation(
          context,
          {
            // No case id: it is staff's handle of the case (the hub reports back per conversation).
            reason: state.reason,
            summary: opened.caseDoc.summary,
            locale,
            contact: opened.caseDoc.contact,
          },
          { activities: transcript.map((line) => transcriptActivity(context, line)) },
        ),
      );
    } else if (opened.caseDoc.ticket) {
      await context.sendActivity(
        `${t(locale, 'handoff.ticketSaved')} ${this.handoff.replyExpectation(locale)}`,
      );
    } else if (opened.expectedWaitMinutes === null) {
      // Only a case with a way back is kept as a message when nobody takes it in time (HandoffService.expireOverdue).
      const key = shownContact(opened.caseDoc.contact, locale)
        ? 'handoff.queuedNoEstimate'
        : 'handoff.queuedNoEstimateNoContact';
      await context.sendActivity(t(locale, key, { position: opened.position }));
    } else {
      await context.sendActivity(
        t(locale, 'handoff.queued', { position: opened.position, minutes: opened.expectedWaitMinutes }),
      );
    }
    return step.endDialog({ kind: 'escalated', caseId } satisfies EscalationResult);
  }

  /**
   * A message after the hand-over ended in a saved message (the ticket of `caseId`), or in the offer to leave a
   * way back (its queue expired without one): an e-mail address or phone number makes the expired case a ticket;
   * anything else is added to the ticket's follow-up while that is open, with a short acknowledgement rather than
   * the whole notice again. False when neither applies (the router then reads the message as usual). For the
   * router.
   */
  async followUp(context: TurnContext, caseId: string, text: string): Promise<boolean> {
    const { locale } = turnFacts(context);
    const given = extractContact(text);
    const contact = hasEmailOrPhone(given);
    if (contact && (await this.handoff.leaveContact(caseId, given))) {
      await context.sendActivity(
        `${t(locale, 'handoff.ticketSaved')} ${this.handoff.replyExpectation(locale)}`,
      );
      return true;
    }
    if (!(await this.handoff.followupMessage(caseId, text))) return false;
    // A question ("when will someone call me back?") also learns what happens to the saved message.
    const status = isQuestion(text, locale)
      ? ` ${this.savedStatus((await this.handoff.get(caseId)).contact, locale)}`
      : '';
    await context.sendActivity(`${t(locale, 'handoff.addedToFollowup')}${status}`);
    return true;
  }

  /** Whether the hand-over of `caseId` ended without a person (HandoffService.endedWithoutPerson), for the router's close. */
  endedWithoutPerson(caseId: string): Promise<boolean> {
    return this.handoff.endedWithoutPerson(caseId);
  }

  /** How and when the customer of a saved message will hear from staff. */
  private savedStatus(contact: Contact, locale: string): string {
    const shown = shownContact(contact, locale);
    return `${t(locale, 'handoff.savedStatus', { contact: shown })} ${this.handoff.replyExpectation(locale)}`;
  }

  /**
   * A request for a person while the conversation's message is saved for staff: what the request says beyond
   * asking for a person is added to it, and the customer is told how and when they will hear from us. The router
   * keeps the case for what follows (`escalated`).
   */
  private async alreadySaved(
    step: WaterfallStepContext<EscalationState>,
    saved: CaseView,
    locale: string,
  ): Promise<DialogTurnResult> {
    const text = besidesPersonRequest(step.options.text ?? '', locale);
    const added = saysEnough(text, locale) && (await this.handoff.followupMessage(saved.id, text));
    const status = this.savedStatus(saved.contact, locale);
    await step.context.sendActivity(added ? `${t(locale, 'handoff.addedToFollowup')} ${status}` : status);
    return step.endDialog({ kind: 'escalated', caseId: saved.id } satisfies EscalationResult);
  }

  /**
   * "Help" at the description or contact step: what is asked and why, and that it can be skipped (for a
   * call-back, what skipping means); the step still waits. Other steps (yes or no) get the general help.
   */
  async explainStep(context: TurnContext, instance: DialogInstance): Promise<boolean> {
    const state: unknown = instance.state;
    const step = isRecord(state) ? state[ASKING] : undefined;
    const key =
      step === 'describe'
        ? 'handoff.describeHelp'
        : step === 'contact'
          ? 'handoff.contactHelp'
          : step === 'callbackContact'
            ? 'handoff.callbackContactHelp'
            : undefined;
    if (key === undefined) return false;
    const skip = t(turnFacts(context).locale, 'common.skip');
    await context.sendActivity(withButtons(t(turnFacts(context).locale, key, { skip }), [skip]));
    return true;
  }

  /**
   * What a reply to the contact question gives: the e-mail address or phone number in it (also with thanks around
   * it: "thanks, it's jan@x.com"), none when the customer declines (`declined`) or says nothing but thanks or
   * goodbye ("thank you so much!", "makasih banyak": the turn's reading is a goodbye), else undefined. With the
   * contact given earlier in the conversation on offer (`known`), a yes or any other reply that asks nothing takes
   * it ("the same e-mail as before", "pakai email yang tadi aja"); the confirmation shows it.
   */
  private contactReply(context: TurnContext, text: string, known?: Contact): Contact | undefined {
    const { locale } = turnFacts(context);
    const contact = extractContact(text);
    if (hasEmailOrPhone(contact)) return contact;
    if (known && this.confirmed(text, locale) === 'yes') return known;
    const reading = readMessage(context, this.understanding, text, locale);
    if (declined(text, locale) || reading.goodbye || reading.label === 'closing') return {};
    return known && !isQuestion(text, locale) ? known : undefined;
  }

  /**
   * An e-mail address or phone number, or the customer skips; after MAX_UNCLEAR_REPLIES replies that are neither
   * ("why do you need that?", "just connect me"), the bot goes on without one rather than ask for ever.
   */
  private isContactOrSkip(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const known = writtenContact(prompt.options.validations);
    const text = prompt.recognized.value ?? '';
    const given = this.contactReply(prompt.context, text, known);
    return Promise.resolve(
      given !== undefined ||
        questionForStaff(text, turnFacts(prompt.context).locale) ||
        prompt.attemptCount >= MAX_UNCLEAR_REPLIES,
    );
  }

  /**
   * The reply to "Shall I send it?": yes (a first clause of words that say send, "kirim aja", "wysyłaj", "bare send",
   * or a yes; what a yes says after it is passed on too: `addedAfterYes`), no (a first clause that is a no: "no, leave
   * it"; or seeing to it oneself: "nah I'll sort it out myself", `doItMyself`), `more` to pass on
   * (`isMoreToPassOn`: "i also tried restarting the router, no luck", whose problem words are no "no"), else what
   * the yes/no reading makes of it.
   */
  private sendReply(text: string, locale: string): 'yes' | 'no' | 'more' | null {
    if (asksToSend(text, locale)) return 'yes';
    const first = tokenize(text)[0]?.join(' ') ?? '';
    if (isNo(first, locale)) return 'no';
    if (phrasesIn(text, localeWords(locale).doItMyself, locale).length > 0) return 'no';
    if (isYes(first, locale)) return 'yes';
    if (isMoreToPassOn(text, locale)) return 'more';
    return this.confirmed(text, locale);
  }

  /** Yes or no to a confirm prompt (the prompt asks again until it is one of them). */
  private confirmed(text: string, locale: string): 'yes' | 'no' | null {
    return this.understanding.confirm(text, locale).answer;
  }

  /**
   * A yes or no; a reply the bot cannot read is asked again (by the prompt, saying what each answer does) and
   * listed for review, up to MAX_UNCLEAR_REPLIES: then the step goes on with the unread reply (see its caller).
   */
  private async isAnswer(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    const { conversationId, locale } = turnFacts(prompt.context);
    const { answer, confidence } = this.understanding.confirm(text, locale);
    if (answer !== null) return true;
    const read = { label: 'other' as const, confidence };
    await this.review.record([{ conversationId, locale, task: 'confirm', text, why: 'unread', read }]);
    return prompt.attemptCount >= MAX_UNCLEAR_REPLIES;
  }

  /**
   * Ends the hand-over with nothing passed on, telling the customer `text`: the customer said no
   * (`handoff.notSent`), the client is over its daily bound of requests (`handoff.requestLimit`), or a call-back
   * has no way back (said honestly, with what they can do instead).
   */
  private async notPassedOn(
    step: WaterfallStepContext<EscalationState>,
    text: string,
  ): Promise<DialogTurnResult> {
    await step.context.sendActivity(text);
    return step.endDialog({ kind: 'cancelled' } satisfies EscalationResult);
  }
}

/**
 * Where the dialog's own instance state (beside the component's inner dialog stack) notes the step being
 * asked, for explainStep: the waterfall's options live inside that stack.
 */
const ASKING = 'asking';

/** Notes the step the dialog is about to ask (see explainStep). */
function asking(
  step: WaterfallStepContext<EscalationState>,
  what: 'describe' | 'contact' | 'callbackContact' | 'confirm',
): void {
  const state: unknown = step.parent?.activeDialog?.state;
  if (isRecord(state)) state[ASKING] = what;
}

/** How the customer will be reached, as shown to them; empty when there is no way. */
function shownContact(contact: Contact, locale: string): string {
  return contact.teams
    ? t(locale, 'handoff.contactTeams')
    : [contact.email, contact.phone].filter(Boolean).join(', ');
}

/** The e-mail address and phone number in `value` (a prompt's `validations`), if it holds any. */
function writtenContact(value: unknown): Contact | undefined {
  if (!isRecord(value)) return undefined;
  const { email, phone } = value;
  const contact: Contact = {
    ...(typeof email === 'string' ? { email } : {}),
    ...(typeof phone === 'string' ? { phone } : {}),
  };
  return hasEmailOrPhone(contact) ? contact : undefined;
}

/** Whether a reply holds an e-mail address or a phone number. */
function hasContact(prompt: PromptValidatorContext<string>): boolean {
  return hasEmailOrPhone(extractContact(prompt.recognized.value ?? ''));
}

/**
 * A reply at "Shall I send it?" that says more to pass on than yes or no; not a reply about sending itself ("please
 * do not send it yet") nor a question ("how long will it take?").
 */
function isMoreToPassOn(text: string, locale: string): boolean {
  const aboutSending = phrasesIn(text, localeWords(locale).send, locale).length > 0;
  return saysEnough(text, locale) && !aboutSending && !isQuestion(text, locale);
}

/**
 * What a yes at "Shall I send it?" says after its first clause, when that is more to pass on ("yes, and also the
 * router is blinking red", "ja, og ruteren blinker rødt"); else empty, as when it gives a new contact instead ("yes,
 * but call 555 123 456").
 */
function addedAfterYes(text: string, locale: string): string {
  const [first, second] = clauseSpans(text);
  if (!first || !second || !isYes(text.slice(first.start, first.end), locale)) return '';
  const rest = text.slice(second.start).trim();
  return isMoreToPassOn(rest, locale) && !hasEmailOrPhone(extractContact(rest)) ? rest : '';
}

/**
 * A question typed at the contact step that is for staff ("is the promo still valid?", "promo ini masih berlaku?"):
 * of QUESTION_MIN_WORDS words or more, giving no contact and not asking why the bot wants one (`whyAsked`: "why do
 * you need that?", which the retry answers).
 */
function questionForStaff(text: string, locale: string): boolean {
  return (
    isQuestion(text, locale) &&
    tokenize(text).flat().length >= QUESTION_MIN_WORDS &&
    phrasesIn(text, localeWords(locale).whyAsked, locale).length === 0 &&
    !hasEmailOrPhone(extractContact(text))
  );
}

/** A call-back: a message left while staff are away, or a low rating's call-back. */
function isCallback(state: EscalationState): boolean {
  return state.leaveMessage === true || state.reason === 'low-rating';
}

/** The customer's Microsoft Teams account (AAD object id), which staff can reach them by; only Teams vouches. */
function teamsAccount(context: TurnContext): string | undefined {
  const { channelId, from } = context.activity;
  return channelId === 'msteams' ? from.aadObjectId : undefined;
}

/**
 * A request for a person that is a question naming no person ("when will someone call me back?", "kiedy ktoś
 * oddzwoni?", "når ringer dere meg?"): about the message already saved, not a new request ("can I talk to a human?").
 */
function asksAboutSaved(options: EscalationOptions, locale: string): boolean {
  const text = options.text ?? '';
  return (
    options.reason === 'request' &&
    isQuestion(text, locale) &&
    phrasesIn(text, localeWords(locale).human, locale).length === 0
  );
}

function acknowledgement(options: EscalationOptions): MessageKey {
  if (options.reason === 'complaint' || (options.anger ?? 0) >= APOLOGY_ANGER) return 'handoff.ackComplaint';
  if (options.reason === 'low-rating') return 'handoff.ackLowRating';
  if (options.reason === 'request') return 'handoff.ackRequest';
  return 'handoff.ackNotHelpful';
}

/** A yes/no question; its retry says what each answer does (`retry`: by default, sending the request). */
function yesNoPrompt(
  locale: string,
  text: string,
  retry: MessageKey = 'handoff.confirmRetry',
): { prompt: Partial<Activity>; retryPrompt: Partial<Activity> } {
  const buttons = [t(locale, 'common.yes'), t(locale, 'common.no')];
  return {
    prompt: withButtons(text, buttons),
    retryPrompt: withButtons(t(locale, retry), buttons),
  };
}

/**
 * A description: two characters or more, a word among them ("🤷" or "👍" describe nothing), more than a yes ("ok",
 * "tak"); or the customer skips it. A long one is taken and cut for the summary (summaryOf), never refused.
 */
function isDescription(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const text = prompt.recognized.value?.trim() ?? '';
  const { locale } = turnFacts(prompt.context);
  const describes = text.length >= 2 && /[\p{L}\p{N}]/u.test(text) && !isYes(text, locale);
  return Promise.resolve(declined(text, locale) || describes);
}

/** A transcript line as the message activity the agent hub expects in the transcript attachment. */
function transcriptActivity(context: TurnContext, line: TranscriptLine): Activity {
  const { activity } = context;
  const from =
    line.from === 'customer'
      ? activity.from
      : { ...activity.recipient, role: 'bot', ...(line.from === 'agent' ? { name: 'agent' } : {}) };
  return {
    type: 'message',
    text: line.text,
    timestamp: new Date(line.at),
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversation: activity.conversation,
    recipient: line.from === 'customer' ? activity.recipient : activity.from,
    from,
    label: '',
    valueType: '',
    listenFor: [],
    localTimezone: activity.localTimezone ?? '',
    callerId: activity.callerId ?? '',
  };
}
