import { ActionTypes, MessageFactory, type Activity, type CardAction as SuggestedAction } from 'botbuilder';
import { fold } from '../core/text';
import { clauseSpans, isCoveredBy, isSkip, localeWords, phrasesIn } from '../language/words';
import { isQuestion } from '../language/understanding';
import { t } from '../locales';

/**
 * A message with suggested-action buttons (imBack: a press sends the label as text, like typing it): the one
 * place such messages are built. Their texts use markdown (**Skip**), so the message says so: Teams and the
 * Teams-like clients render it instead of showing the asterisks.
 */
export function withButtons(text: string, labels: string[]): Partial<Activity> {
  const actions: SuggestedAction[] = labels.map((label) => ({
    type: ActionTypes.ImBack,
    title: label,
    value: label,
  }));
  return { ...MessageFactory.suggestedActions(actions, text), textFormat: 'markdown' };
}

/**
 * The customer declines what a step asked for (a description, a contact, a comment): the one skip button
 * (`common.skip`) or what language/words.ts reads as declining (no, never mind, a goodbye).
 */
export function declined(text: string, locale: string): boolean {
  return isSkip(text, locale, t(locale, 'common.skip'));
}

/**
 * A change of mind: the message is a cancel ("never mind", "gak jadi", "anuluj", "glem det": words.json
 * `cancel`), or opens with one in its own clauses, with the locale's filler, yes/no and change-of-mind words
 * (`ratingCorrection`: "actually", "jednak") and question leads around it ("actually nvm, how do I change my
 * plan?", "a dobra, nie trzeba, anuluj"). `rest` is the question that follows those clauses (to answer), else
 * empty: what the customer will do instead ("glem det, jeg ringer selv": I'll call myself) asks nothing. "Cancel
 * my subscription" is no change of mind: the cancel must fill its clauses.
 */
export function changeOfMind(text: string, locale: string): { rest: string } | undefined {
  const words = localeWords(locale);
  if (phrasesIn(text, words.cancel, locale).length === 0) return undefined;
  const around = [words.filler, words.yes, words.no, words.ratingCorrection, words.questionLeads];
  let found: { rest: string } | undefined;
  for (const { end, after } of clauseSpans(text)) {
    if (isCoveredBy(text.slice(0, end), words.cancel, around))
      found = { rest: questionPart(text.slice(after), locale) ?? '' };
  }
  return found;
}

/**
 * The part of a message from its first clause that is a question on: "3, how do I change my plan?" → "how do
 * I change my plan?"; undefined when no clause is one.
 */
export function questionPart(text: string, locale: string): string | undefined {
  const question = clauseSpans(text).find(({ start, after }) => isQuestion(text.slice(start, after), locale));
  return question && text.slice(question.start).trim();
}

/**
 * What a change of mind is told: a child dialog's step stopped, a hand-over step stopped (nothing passed on) or
 * the queue left (both with how to reach a person after all); then, unless a question follows to be answered,
 * what else the bot can do.
 */
export function cancelledReply(
  locale: string,
  stopped: 'step' | 'handover' | 'queue',
  questionFollows: boolean,
): string {
  if (stopped === 'step') return t(locale, questionFollows ? 'common.stopped' : 'common.cancelled');
  const said = t(locale, stopped === 'queue' ? 'handoff.cancelledByCustomer' : 'handoff.stepCancelled');
  return questionFollows ? said : `${said} ${t(locale, 'common.anythingElse')}`;
}

/** Which of `labels` the customer chose: by its text (case and accents ignored) or its number "1".."n". */
export function chosenIndex(text: string, labels: string[]): number | undefined {
  const answer = fold(text).replace(/[.)]$/, '');
  const byNumber = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
  if (byNumber >= 0 && byNumber < labels.length) return byNumber;
  const byText = labels.findIndex((label) => fold(label) === answer);
  return byText >= 0 ? byText : undefined;
}
