import type { Activity, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { z } from 'zod';
import { shortened } from '../core/text';
import { splitQuestions } from '../knowledge/splitQuestions';
import type { Decision, KnowledgeBase } from '../knowledge/store';
import type { FaqEntry } from '../knowledge/types';
import {
  acknowledgesOnly,
  asksAtEnd,
  asksFor,
  choiceNumber,
  helpedInPart,
  isClosing,
  isNoneOfThese,
  isNotHelpful,
  isYes,
  saysYes,
  thanksForHelpGiven,
  tokenize,
} from '../language/words';
import { t } from '../locales';
import { isQuestion, type ConfirmReading, type Understanding } from '../language/understanding';
import { noReview, type ReviewRecorder } from '../review/log';
import {
  COMPLAINT_REROUTE,
  FAQ_DIALOG,
  isComplaintReply,
  readMessage,
  setEpisodeAnswer,
  turnFacts,
  type FaqResult,
  type RerouteResult,
  type TurnReading,
} from './contracts';
import { DialogState } from './dialogState';
import { chosenIndex, withButtons } from './replies';

export interface FaqOptions {
  text: string;
  /** Unanswered questions in a row before this one (the second miss offers a person). */
  misses: number;
  /** The text is a reply the bot could not read at a yes/no or rating step: not an unanswered question. */
  unreadReply?: boolean;
}

/** Words from which a message that asks nothing is a statement rather than keywords (see isStatement). */
const STATEMENT_MIN_WORDS = 3;

/** Longest "did you mean" button label (a longer question is shortened). */
const BUTTON_LABEL_CHARS = 60;

type HumanReason = Extract<FaqResult, { kind: 'escalate' }>['reason'];
type Answered = Extract<Decision, { kind: 'answer' }>;

/**
 * What the dialog waits for: a "did you mean" choice, "did it help?", "anything else?", "want a person?".
 * `asked`: the yes/no question was asked again after a reply the bot could not read.
 */
const asked = z.boolean().optional();
const waitingSchema = z.discriminatedUnion('phase', [
  // `labels`: the buttons as shown, so that a press still names its entry after an admin deleted or renamed it.
  z.object({
    phase: z.literal('choice'),
    choices: z.array(z.string()),
    labels: z.array(z.string()).optional(),
    asked,
  }),
  // `answered`: every entry answered with it (several questions in one message), none offered again as a button.
  z.object({
    phase: z.literal('helpful'),
    entryId: z.string(),
    others: z.array(z.string()),
    answered: z.array(z.string()).optional(),
    asked,
  }),
  z.object({ phase: z.literal('anythingElse'), entryId: z.string(), asked }),
  z.object({ phase: z.literal('human'), reason: z.enum(['no-match', 'not-helpful']), asked }),
]);
type Waiting = z.infer<typeof waitingSchema>;
type WaitingIn<P extends Waiting['phase']> = Extract<Waiting, { phase: P }>;

/**
 * Answers a usage question from the knowledge base: a confident match is answered with "did this help?",
 * a medium one offers up to three choices, a miss asks to rephrase and the second miss (or an unhelpful
 * answer with nothing else to offer) offers a person; a statement that asks nothing and matches nothing is
 * acknowledged (no miss). A small state machine: each customer reply is handled by
 * the method of the phase the dialog is waiting in.
 */
export class FaqDialog extends Dialog<FaqOptions> {
  private readonly state = new DialogState<Waiting>(FAQ_DIALOG, waitingSchema);

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly understanding: Understanding,
    private readonly review: ReviewRecorder = noReview,
  ) {
    super(FAQ_DIALOG);
  }

  /** Whether the dialog of `instance` waits for a yes or no, where a number is no answer (not for a choice). */
  asksYesOrNo(instance: DialogInstance): boolean {
    return this.state.load(instance).phase !== 'choice';
  }

  /** The entry the knowledge base answers `text` with outright (no choices, no other language), if there is one. */
  outrightAnswer(text: string, locale: string): FaqEntry | undefined {
    const decision = this.kb.decide(text, locale);
    return decision.kind === 'answer' && !decision.fallbackLocale ? decision.best.entry : undefined;
  }

  /** Whether the knowledge base answers `text` outright (see outrightAnswer). */
  answersOutright(text: string, locale: string): boolean {
    return this.outrightAnswer(text, locale) !== undefined;
  }

  override async beginDialog(dc: DialogContext, options?: FaqOptions): Promise<DialogTurnResult> {
    const { text, misses, unreadReply } = options ?? { text: dc.context.activity.text ?? '', misses: 0 };
    const { locale } = turnFacts(dc.context);
    // A thanks, greeting or link beside the question ("how do I pay my bill? thanks so much guys") is left out.
    const parts = splitQuestions(text, locale);
    const decision = this.kb.decide(parts.length === 1 ? (parts[0] ?? text) : text, locale);
    const several = this.severalAnswers(parts, locale, decision);
    if (several) return this.answer(dc, several.entryIds, several.others);
    if (decision.kind === 'none' && unreadReply) {
      await dc.context.sendActivity(t(locale, 'common.notUnderstood'));
      return this.finish(dc, { kind: 'missed' });
    }
    if (decision.kind === 'none' && this.isStatement(text, locale)) {
      // A statement that asks nothing ("I moved to a new flat last week", "jutro mam urodziny") is no unanswered
      // question: acknowledged, and the customer asked what they need.
      await dc.context.sendActivity(t(locale, 'faq.statementNoted'));
      return this.finish(dc, { kind: 'noted' });
    }
    if (decision.kind === 'none') {
      await this.kb.recordUnanswered(text, locale, decision.bestScore);
      if (misses >= 1) return this.offerHuman(dc, 'no-match');
      await dc.context.sendActivity(t(locale, 'faq.rephrase'));
      return this.finish(dc, { kind: 'missed' });
    }
    if (decision.fallbackLocale) await dc.context.sendActivity(t(locale, 'faq.otherLanguage'));
    if (decision.kind === 'clarify') {
      return this.askChoice(
        dc,
        t(locale, 'faq.didYouMean'),
        decision.choices.map((c) => c.entry.id),
      );
    }
    return this.answer(
      dc,
      [decision.best.entry.id],
      decision.others.map((c) => c.entry.id),
    );
  }

  /**
   * A message that tells rather than asks: no question (isQuestion, nor one that ends with a question word: "toko nya
   * dimana kak") and no request ("tell me a joke", "aku mau beli hp baru"), and a sentence in the customer's
   * language, at least {@link STATEMENT_MIN_WORDS} words, most of them words customers use ("jutro mam urodziny"),
   * not keywords ("wifi password") or what the bot cannot read ("qwzx vbnm plokij"), which are asked to be rephrased.
   */
  private isStatement(text: string, locale: string): boolean {
    const words = tokenize(text).flat().length;
    return (
      !isQuestion(text, locale) &&
      !asksAtEnd(text, locale) &&
      !asksFor(text, locale) &&
      words >= STATEMENT_MIN_WORDS &&
      this.understanding.knownWords(text, locale) * 2 > words
    );
  }

  /**
   * Two or three questions in one message ("how do I change my plan and how long is my contract?"): the entries
   * that answer its `parts` (knowledge/splitQuestions.ts; thanks, greetings and links left out), in order and
   * each once, when every part is answered outright in the customer's language, by at least two different
   * entries, and the whole message is not answered outright by an entry of its own; `others`: the parts' other
   * candidates. Undefined otherwise: the message is answered as a whole, as one question.
   */
  private severalAnswers(
    parts: string[],
    locale: string,
    whole: Decision,
  ): { entryIds: string[]; others: string[] } | undefined {
    if (parts.length < 2) return undefined;
    const answers: Answered[] = [];
    for (const part of parts) {
      const decision = this.kb.decide(part, locale);
      if (decision.kind !== 'answer' || decision.fallbackLocale) return undefined;
      if (!answers.some((a) => a.best.entry.id === decision.best.entry.id)) answers.push(decision);
    }
    if (answers.length < 2) return undefined;
    // An entry that answers the whole message outright and none of its parts covers them ("How do I cancel my
    // contract and get a refund?" written as one entry); one that answers a part does not cover the others.
    if (whole.kind === 'answer' && !answers.some((a) => a.best.entry.id === whole.best.entry.id))
      return undefined;
    const entryIds = answers.map((a) => a.best.entry.id);
    const others = answers
      .flatMap((a) => a.others.map((c) => c.entry.id))
      .filter((id) => !entryIds.includes(id));
    return { entryIds, others: [...new Set(others)] };
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const waiting = this.state.load(dc.activeDialog);
    const reply = dc.context.activity.text ?? '';
    switch (waiting.phase) {
      case 'choice':
        return this.onChoice(dc, reply, waiting);
      case 'helpful':
        return this.onHelpful(dc, reply, waiting);
      case 'anythingElse':
        return this.onAnythingElse(dc, reply, waiting);
      case 'human':
        return this.onHuman(dc, reply, waiting);
    }
  }

  /**
   * A reply to a yes/no question that is neither: a new question or request (the router's: something it acts
   * on, anything written as a question, or a question the knowledge base can answer) is routed again; anything else is asked again once, and the
   * second time routed again as an unread reply (never recorded as an unanswered FAQ question).
   */
  private async unclear(
    dc: DialogContext,
    reply: string,
    waiting: Waiting,
    reading: ConfirmReading,
  ): Promise<DialogTurnResult> {
    const { locale, conversationId } = turnFacts(dc.context);
    const isRequest =
      this.read(dc, reply).label !== 'other' ||
      isQuestion(reply, locale) ||
      this.kb.decide(reply, locale).kind !== 'none';
    if (isRequest) return this.finish(dc, { kind: 'reroute', unread: false });
    await this.review.record([
      {
        conversationId,
        locale,
        task: 'confirm',
        text: reply,
        why: 'unread',
        read: { label: 'other', confidence: reading.confidence },
      },
    ]);
    if (waiting.asked) return this.finish(dc, { kind: 'reroute', unread: true });
    return this.wait(dc, { ...waiting, asked: true }, t(locale, 'faq.yesOrNo'));
  }

  private isComplaint(dc: DialogContext, reply: string): boolean {
    return isComplaintReply(dc.context, this.understanding, reply, turnFacts(dc.context).locale);
  }

  /** The turn's reading of the reply (what the router makes of it, and whether it is a goodbye). */
  private read(dc: DialogContext, reply: string): TurnReading {
    return readMessage(dc.context, this.understanding, reply, turnFacts(dc.context).locale);
  }

  /**
   * A goodbye that says no yes: none at all ("thanks", "no thanks, bye"; not "yes please, thanks"), or one that only
   * acknowledges ("ok thanks, bye") when `okayLeaves` (an "ok" leaves at this step): the customer leaves.
   */
  private leaves(dc: DialogContext, reply: string, okayLeaves: boolean): boolean {
    const { locale } = turnFacts(dc.context);
    if (!this.read(dc, reply).goodbye) return false;
    return !saysYes(reply, locale) || (okayLeaves && acknowledgesOnly(reply, locale));
  }

  /**
   * A "did you mean" choice by button, number (digits or a number word: "dua", "dwa") or text; no or "none of these"
   * in words ("neither", "żadna", "ingen av dem") means none of these, and yes takes a single suggestion; a goodbye
   * closes. "None of these" offers a person; anything else is routed again. An entry disabled or deleted since the
   * choices were shown is not answered: the customer is told it is no longer available and asked to rephrase (a
   * miss: the next one offers a person).
   */
  private async onChoice(
    dc: DialogContext,
    reply: string,
    waiting: WaitingIn<'choice'>,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const { choices } = waiting;
    // "udah semua, ga ngaruh. kesel bgt" ("udah" reads yes to a single choice): a complaint goes to a person.
    if (this.isComplaint(dc, reply)) return this.finish(dc, COMPLAINT_REROUTE);
    // "thanks", "dzięki", "bye": the customer leaves; a thanks is no yes to a single suggestion, and neither is an
    // "ok" before a thanks for the help ("ok takk for hjelpa"; but "ok thanks" or "yes please, thanks for the help"
    // choose it).
    if (this.leaves(dc, reply, thanksForHelpGiven(reply, locale))) return this.finish(dc, { kind: 'closed' });
    const labels = [...(waiting.labels ?? this.labels(choices)), t(locale, 'faq.noneOfThese')];
    const index = chosenIndex(reply, labels) ?? this.choiceInWords(reply, locale, choices.length);
    if (index === undefined) return this.finish(dc, { kind: 'reroute', unread: false });
    const chosen = choices[index];
    if (chosen === undefined) return this.offerHuman(dc, 'no-match');
    if (!this.available(chosen)) {
      await dc.context.sendActivity(t(locale, 'faq.noLongerAvailable'));
      return this.finish(dc, { kind: 'missed' });
    }
    return this.answer(
      dc,
      [chosen],
      choices.filter((id) => id !== chosen),
    );
  }

  /**
   * A choice among `count` (and "none of these" after them) by its place ("dua", "the second one", "nr 2"), "none of
   * these" in words or no (none), or yes (the only one).
   */
  private choiceInWords(reply: string, locale: string, count: number): number | undefined {
    const byWord = choiceNumber(reply, locale);
    if (byWord !== null && byWord <= count + 1) return byWord - 1;
    if (isNoneOfThese(reply, locale)) return count;
    const { answer } = this.understanding.confirm(reply, locale);
    if (answer === 'no') return count;
    return answer === 'yes' && count === 1 ? 0 : undefined;
  }

  /**
   * Goodbye: helped, close. A complaint: not helped, routed again (to a person). Yes: glad, anything else? No: the
   * other matches, or a person; in part ("so so", "lumayan", "tak sobie", "tja"): the same, with an apology that it
   * did not fully help. Else: a new question.
   */
  private async onHelpful(
    dc: DialogContext,
    reply: string,
    waiting: WaitingIn<'helpful'>,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const { entryId } = waiting;
    // A lukewarm answer, which the models read as yes ("sort of"), a goodbye ("oke lah") or neither ("biasa aja").
    if (helpedInPart(reply, locale)) return this.notHelped(dc, waiting, true);
    const reading = this.understanding.confirm(reply, locale);
    const { answer } = reading;
    // "thanks, that's all": it helped, and the customer is done. A goodbye only the classifier sees must not
    // read as no ("that's useless"); one in another supported language ("dzięki, to wszystko") counts too.
    const replyReading = this.read(dc, reply);
    const closing = replyReading.label === 'closing' || replyReading.goodbye;
    // A bare yes ("ok", "oke", "okej"), which the classifier may read as a goodbye, is a yes: "anything else?".
    if (closing && (isClosing(reply, locale) || (answer !== 'no' && !isYes(reply, locale)))) {
      await this.kb.vote(entryId, true);
      return this.finish(dc, { kind: 'closed' });
    }
    if (this.isComplaint(dc, reply)) {
      await this.kb.vote(entryId, false);
      return this.finish(dc, COMPLAINT_REROUTE);
    }
    if (answer === 'yes') {
      await this.kb.vote(entryId, true);
      await dc.context.sendActivity(t(locale, 'faq.glad'));
      return this.wait(dc, { phase: 'anythingElse', entryId });
    }
    if (answer === null) return this.unclear(dc, reply, waiting, reading);
    return this.notHelped(dc, waiting, false);
  }

  /**
   * The answer did not help (`inPart`: not fully): voted down, and the other matches offered, or else a person, each
   * with its apology.
   */
  private async notHelped(
    dc: DialogContext,
    { entryId, others }: WaitingIn<'helpful'>,
    inPart: boolean,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    await this.kb.vote(entryId, false);
    const remaining = others.filter((id) => this.available(id));
    if (remaining.length === 0)
      return this.offerHuman(dc, 'not-helpful', inPart ? t(locale, 'faq.partlyOfferHuman') : undefined);
    return this.askChoice(dc, t(locale, inPart ? 'faq.partlyOthers' : 'faq.sorryOthers'), remaining);
  }

  /**
   * No (or goodbye, in any supported language) closes the episode, yes invites the next question; a complaint is
   * routed again; words that the answer did not help after all offer a person.
   */
  private async onAnythingElse(
    dc: DialogContext,
    reply: string,
    waiting: WaitingIn<'anythingElse'>,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const { entryId } = waiting;
    if (this.isComplaint(dc, reply)) return this.finish(dc, COMPLAINT_REROUTE);
    // "thanks but it still doesn't work" (a no to "anything else?" by its words): the answer did not help after all;
    // "yes, my tv is still broken" is the next problem.
    const [first] = tokenize(reply);
    if (isNotHelpful(reply, locale) && !(first && isYes(first.join(' '), locale))) {
      await this.kb.vote(entryId, false);
      return this.offerHuman(dc, 'not-helpful');
    }
    const reading = this.understanding.confirm(reply, locale);
    const { answer } = reading;
    const replyReading = this.read(dc, reply);
    if (answer === 'no' || replyReading.label === 'closing' || replyReading.goodbye)
      return this.finish(dc, { kind: 'closed' });
    if (answer === null) return this.unclear(dc, reply, waiting, reading);
    await dc.context.sendActivity(t(locale, 'faq.askNext'));
    return this.finish(dc, { kind: 'answered', entryId });
  }

  /**
   * The reply to "shall I connect you with a person?"; a complaint is routed again (it reaches a person too), a
   * goodbye closes.
   */
  private async onHuman(
    dc: DialogContext,
    reply: string,
    waiting: WaitingIn<'human'>,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    if (this.isComplaint(dc, reply)) return this.finish(dc, COMPLAINT_REROUTE);
    // "thanks", "no thanks, bye", "ok thanks, bye": a goodbye without a yes (an "ok" only acknowledges) declines the
    // offer and ends the episode; "yes please, thanks" fetches a person.
    if (this.leaves(dc, reply, true)) return this.finish(dc, { kind: 'closed' });
    const reading = this.understanding.confirm(reply, locale);
    const { answer } = reading;
    if (answer === 'yes' || chosenIndex(reply, [t(locale, 'common.talkToHuman')]) === 0) {
      return this.finish(dc, { kind: 'escalate', reason: waiting.reason });
    }
    if (answer === null) return this.unclear(dc, reply, waiting, reading);
    await dc.context.sendActivity(t(locale, 'faq.okayRephrase'));
    return this.finish(dc, { kind: 'missed' });
  }

  /**
   * Sends the answer of each entry, under its question when there are several, and asks once whether they helped
   * (follow-ups of the first entry as extra buttons). The first entry is the episode's answer (ratings and
   * reports) and the one the customer's yes or no counts for; `others` are offered when it did not help.
   */
  private async answer(dc: DialogContext, entryIds: string[], others: string[]): Promise<DialogTurnResult> {
    const entries = entryIds.flatMap((id) => this.available(id) ?? []);
    const [first] = entries;
    if (!first) return this.finish(dc, { kind: 'missed' });
    const { locale } = turnFacts(dc.context);
    setEpisodeAnswer(dc.context, first.id);
    for (const entry of entries) {
      const about =
        entries.length > 1
          ? t(locale, 'faq.answerAbout', { question: this.labels([entry.id])[0] ?? '' })
          : '';
      const text = about ? `${about}\n\n${entry.answer}` : entry.answer;
      await dc.context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
    }
    const answered = entries.length > 1 ? { answered: entries.map((entry) => entry.id) } : {};
    return this.wait(dc, { phase: 'helpful', entryId: first.id, others, ...answered });
  }

  private askChoice(dc: DialogContext, intro: string, choices: string[]): Promise<DialogTurnResult> {
    const shown = choices.slice(0, 3);
    return this.wait(dc, { phase: 'choice', choices: shown, labels: this.labels(shown) }, intro);
  }

  /** Asks whether to fetch a person (`words`: other words for the question). */
  private offerHuman(dc: DialogContext, reason: HumanReason, words?: string): Promise<DialogTurnResult> {
    return this.wait(dc, { phase: 'human', reason }, words);
  }

  /** Asks the phase's question and remembers what the next reply answers (`words`: other words for it). */
  private async wait(dc: DialogContext, waiting: Waiting, words?: string): Promise<DialogTurnResult> {
    this.state.save(dc.activeDialog, waiting);
    await dc.context.sendActivity(this.question(turnFacts(dc.context).locale, waiting, words));
    return Dialog.EndOfTurn;
  }

  /** After "help" at a step: its question again. */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await context.sendActivity(this.question(turnFacts(context).locale, this.state.load(instance)));
  }

  /**
   * The question of a phase with its buttons: the choices (numbered, with "none of these"), "did this help?" (with
   * the entry's follow-ups), "anything else?", "shall I connect you with a person?". `words` replace its text
   * (a choice list's intro, "please answer yes or no").
   */
  private question(locale: string, waiting: Waiting, words?: string): Partial<Activity> {
    switch (waiting.phase) {
      case 'choice': {
        const labels = [...(waiting.labels ?? this.labels(waiting.choices)), t(locale, 'faq.noneOfThese')];
        const listed = labels.map((label, i) => `${i + 1}. ${label}`).join('\n');
        return withButtons(`${words ?? t(locale, 'faq.didYouMean')}\n\n${listed}`, labels);
      }
      case 'helpful': {
        const entry = this.kb.get(waiting.entryId);
        // Only in the answer's language: an import takes follow-ups as written.
        const followUps = (entry?.followUps ?? []).filter(
          (id) => this.available(id)?.locale === entry?.locale && !waiting.answered?.includes(id),
        );
        return withButtons(words ?? t(locale, 'faq.wasHelpful'), [
          ...this.yesNo(locale),
          ...this.labels(followUps),
        ]);
      }
      case 'anythingElse':
        return withButtons(words ?? t(locale, 'common.anythingElse'), this.yesNo(locale));
      case 'human':
        return withButtons(words ?? t(locale, 'faq.offerHuman'), [
          t(locale, 'common.talkToHuman'),
          t(locale, 'common.no'),
        ]);
    }
  }

  private finish(dc: DialogContext, result: FaqResult | RerouteResult): Promise<DialogTurnResult> {
    return dc.endDialog(result);
  }

  /** The entry of `id` while customers may see it: not deleted, not disabled. */
  private available(id: string): FaqEntry | undefined {
    const entry = this.kb.get(id);
    return entry?.enabled ? entry : undefined;
  }

  private labels(ids: string[]): string[] {
    return ids.map((id) => shortened(this.kb.get(id)?.questions[0] ?? id, BUTTON_LABEL_CHARS));
  }

  private yesNo(locale: string): string[] {
    return [t(locale, 'common.yes'), t(locale, 'common.no')];
  }
}
