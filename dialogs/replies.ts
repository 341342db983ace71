import { ActionTypes, MessageFactory, type Activity, type CardAction as SuggestedAction } from 'botbuilder';
import { fold } from '../core/text';
import { isSkip } from '../language/words';
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

/** Which of `labels` the customer chose: by its text (case and accents ignored) or its number "1".."n". */
export function chosenIndex(text: string, labels: string[]): number | undefined {
  const answer = fold(text).replace(/[.)]$/, '');
  const byNumber = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
  if (byNumber >= 0 && byNumber < labels.length) return byNumber;
  const byText = labels.findIndex((label) => fold(label) === answer);
  return byText >= 0 ? byText : undefined;
}

/** Shortens a question to a button label. */
export function buttonLabel(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
