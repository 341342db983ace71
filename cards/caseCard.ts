import { CardFactory, type Attachment } from 'botbuilder';
import type { CaseDetail, CaseStatus, EscalationReason } from '../handoff/types';
import { t, type MessageKey, type Params } from '../locales';
import { renderRedactions } from '../privacy/redact';
import { markdownAsPlainText } from './plainText';
import { expandTemplate, writtenFact } from './template';

/** The verbs of the staff case card (Action.Execute verbs and the `verb` in every button's data). */
export const CASE_VERBS = {
  take: 'case.take',
  resolve: 'case.resolve',
  release: 'case.release',
  refresh: 'case.refresh',
} as const;
export type CaseVerb = (typeof CASE_VERBS)[keyof typeof CASE_VERBS];

/** Whether a card action's verb is one of the staff case card's (`case.*`): for staff spaces only. */
export function isCaseVerb(verb: string): boolean {
  return verb.startsWith('case.');
}

/** Lines of conversation shown on the card. */
export const EXCERPT_LINES = 5;
/** Longest excerpt line (characters); the card stays far below Teams' 28 KB limit. */
const EXCERPT_CHARS = 280;

const reasons: Record<EscalationReason, MessageKey> = {
  request: 'staff.reasonRequest',
  complaint: 'staff.reasonComplaint',
  'no-match': 'staff.reasonNoMatch',
  'not-helpful': 'staff.reasonNotHelpful',
  'low-rating': 'staff.reasonLowRating',
};

/** One line under the heading, per state (`{agent}`: who took or resolved it). */
const states: Record<CaseStatus, MessageKey> = {
  queued: 'staff.stateQueued',
  assigned: 'staff.stateAssigned',
  resolved: 'staff.stateResolved',
  cancelled: 'staff.stateCancelled',
  left: 'staff.stateLeft',
  expired: 'staff.stateExpired',
  abandoned: 'staff.stateAbandoned',
};

const containerStyles: Partial<Record<CaseStatus, string>> = {
  queued: 'warning',
  assigned: 'accent',
  resolved: 'good',
};

interface Button {
  title: MessageKey;
  verb: CaseVerb;
  style: 'positive' | 'default';
}

function buttonsFor(detail: CaseDetail): Button[] {
  if (detail.external) return [];
  if (detail.status === 'queued') return [{ title: 'staff.take', verb: CASE_VERBS.take, style: 'positive' }];
  if (detail.status === 'assigned') {
    return [
      { title: 'staff.resolve', verb: CASE_VERBS.resolve, style: 'positive' },
      { title: 'staff.release', verb: CASE_VERBS.release, style: 'default' },
    ];
  }
  return [];
}

/** The customer's language named in the staff language, with its code: "Polish (pl)", "polski (pl)". */
export function languageOf(locale: string, staffLocale: string): string {
  try {
    return `${new Intl.DisplayNames([staffLocale], { type: 'language' }).of(locale) ?? locale} (${locale})`;
  } catch {
    return locale;
  }
}

/** RFC 3339 without milliseconds: what the Adaptive Card DATE()/TIME() functions accept. */
export const cardTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const clip = (text: string): string =>
  text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;

/** A line of conversation on a staff card: the bot transcript's lines and the case messages. */
export interface ExcerptLine {
  from: 'customer' | 'bot' | 'agent';
  text: string;
  at: Date;
  agentName?: string;
}

/**
 * The last lines of a conversation, oldest first, with who said them in the staff `locale`. The bot's and agents'
 * lines are markdown (what the customer's chat rendered): shown as their words without the markup, since a card's
 * `TextRun` shows text literally; the customer's lines as they typed them (as in the staff console).
 */
export function excerptOf(
  lines: readonly ExcerptLine[],
  locale: string,
): Array<{ who: string; text: string }> {
  const who = (line: ExcerptLine): string =>
    line.from === 'customer'
      ? t(locale, 'staff.customer')
      : line.from === 'bot'
        ? t(locale, 'staff.bot')
        : (line.agentName ?? t(locale, 'staff.agent'));
  return [...lines]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .slice(-EXCERPT_LINES)
    .map((line) => ({
      who: who(line),
      text: clip(
        renderRedactions(line.from === 'customer' ? line.text : markdownAsPlainText(line.text), locale),
      ),
    }));
}

/** The line under the card's heading: the state of the case, and who took or resolved it. */
export function caseStateLine(detail: CaseDetail, locale: string): string {
  return t(locale, states[detail.status], { agent: detail.agentName ?? t(locale, 'staff.anAgent') });
}

/**
 * The staff card of a case (cards/templates/case.json, Adaptive Card 1.5) in the staff `locale` (`staff.*`
 * messages): summary, language, priority, waiting since, a transcript excerpt, and the buttons of its state
 * (queued: Take; assigned: Resolve, Release). Buttons are `Action.Execute` with an `Action.Submit` fallback
 * carrying the same `{verb, caseId}`. Customer and agent texts go into `TextRun`s, which Teams shows literally
 * (no markdown, no links): the bot's and agents' markdown lines are written out as plain text first (excerptOf). `notice` adds a highlighted line (e.g. "This case was already taken by Ana.").
 */
export function caseCardContent(detail: CaseDetail, locale: string, notice = ''): Record<string, unknown> {
  const text = (key: MessageKey, params?: Params): string => t(locale, key, params);
  const id = detail.id.slice(0, 8);
  return expandTemplate('case', {
    caseId: detail.id,
    labels: {
      language: text('staff.language'),
      priority: text('staff.priority'),
      reason: text('staff.reason'),
      waitingSince: text('staff.waitingSince'),
      recentConversation: text('staff.recentConversation'),
      refresh: text('staff.refresh'),
    },
    heading: text(detail.ticket ? 'staff.headingMessage' : 'staff.headingCase', { id }),
    state: caseStateLine(detail, locale),
    style: containerStyles[detail.status] ?? 'emphasis',
    summary: detail.summary ? renderRedactions(detail.summary, locale) : text('staff.noDescription'),
    language: languageOf(detail.locale, locale),
    priority: String(detail.priority),
    reason: text(reasons[detail.reason]),
    // Since the customer asked (a release does not restart it), as in the staff console.
    since: cardTime(detail.createdAt),
    contact: [
      ...(detail.contact.email ? [writtenFact(text('staff.email'), detail.contact.email)] : []),
      ...(detail.contact.phone ? [writtenFact(text('staff.phone'), detail.contact.phone)] : []),
    ],
    excerpt: excerptOf([...detail.transcript, ...detail.messages], locale),
    notice,
    buttons: buttonsFor(detail).map((button) => ({ ...button, title: text(button.title) })),
  });
}

export const caseCard = (detail: CaseDetail, locale: string, notice?: string): Attachment =>
  CardFactory.adaptiveCard(caseCardContent(detail, locale, notice));
