import { CardFactory, type Attachment } from 'botbuilder';
import type { CaseDetail, CaseStatus, EscalationReason } from '../handoff/types';
import { expandTemplate } from './template';

/** The verbs of the staff case card (Action.Execute verbs and the `verb` in every button's data). */
export const CASE_VERBS = {
  take: 'case.take',
  resolve: 'case.resolve',
  release: 'case.release',
  refresh: 'case.refresh',
} as const;
export type CaseVerb = (typeof CASE_VERBS)[keyof typeof CASE_VERBS];

/** Lines of conversation shown on the card. */
export const EXCERPT_LINES = 5;
/** Longest excerpt line (characters); the card stays far below Teams' 28 KB limit. */
const EXCERPT_CHARS = 280;

const reasons: Record<EscalationReason, string> = {
  request: 'Asked for a person',
  complaint: 'Complaint',
  'no-match': 'Questions the bot could not answer',
  'not-helpful': 'An answer did not help',
  'low-rating': 'Low satisfaction rating',
};

/** One line under the heading, per state; staff-facing (the staff surfaces are in English). */
const states: Record<CaseStatus, (agent: string) => string> = {
  queued: () => 'Waiting in the queue. Take it to talk to the customer.',
  assigned: (agent) => `Taken by ${agent}`,
  resolved: (agent) => `Resolved by ${agent}`,
  cancelled: () => 'Cancelled by the customer',
  expired: () => 'Left as a message: nobody took it in time. Contact the customer directly.',
  abandoned: () => 'Closed: the customer can no longer be reached',
};

const containerStyles: Partial<Record<CaseStatus, string>> = {
  queued: 'warning',
  assigned: 'accent',
  resolved: 'good',
};

interface Button {
  title: string;
  verb: CaseVerb;
  style: 'positive' | 'default';
}

function buttonsFor(detail: CaseDetail): Button[] {
  if (detail.external) return [];
  if (detail.status === 'queued') return [{ title: 'Take', verb: CASE_VERBS.take, style: 'positive' }];
  if (detail.status === 'assigned') {
    return [
      { title: 'Resolve', verb: CASE_VERBS.resolve, style: 'positive' },
      { title: 'Release to queue', verb: CASE_VERBS.release, style: 'default' },
    ];
  }
  return [];
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

function languageOf(locale: string): string {
  try {
    return `${languageNames.of(locale) ?? locale} (${locale})`;
  } catch {
    return locale;
  }
}

/** RFC 3339 without milliseconds: what the Adaptive Card DATE()/TIME() functions accept. */
const cardTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const clip = (text: string): string =>
  text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;

/** The last lines of the bot transcript and the case messages, oldest first. */
function excerptOf(detail: CaseDetail): Array<{ who: string; text: string }> {
  const lines = [
    ...detail.transcript.map((line) => ({
      at: line.at.getTime(),
      who: line.from === 'customer' ? 'Customer' : line.from === 'bot' ? 'Bot' : 'Agent',
      text: line.text,
    })),
    ...detail.messages.map((m) => ({
      at: m.at.getTime(),
      who: m.from === 'customer' ? 'Customer' : (m.agentName ?? 'Agent'),
      text: m.text,
    })),
  ];
  return lines
    .sort((a, b) => a.at - b.at)
    .slice(-EXCERPT_LINES)
    .map(({ who, text }) => ({ who, text: clip(text) }));
}

/**
 * The staff card of a case (cards/templates/case.json, Adaptive Card 1.5): summary, language, priority, waiting
 * since, a transcript excerpt, and the buttons of its state (queued: Take; assigned: Resolve, Release). Buttons
 * are `Action.Execute` with an `Action.Submit` fallback carrying the same `{verb, caseId}`. Customer and agent
 * texts go into `TextRun`s, which Teams shows literally (no markdown, no links). `notice` adds a highlighted
 * line (e.g. "This case was already taken by Ana.").
 */
export function caseCardContent(detail: CaseDetail, notice = ''): Record<string, unknown> {
  const agent = detail.agentName ?? 'an agent';
  return expandTemplate('case', {
    caseId: detail.id,
    heading: `${detail.ticket ? 'Message' : 'Support case'} ${detail.id.slice(0, 8)}`,
    state: states[detail.status](agent),
    style: containerStyles[detail.status] ?? 'emphasis',
    summary: detail.summary || '(no description)',
    language: languageOf(detail.locale),
    priority: String(detail.priority),
    reason: reasons[detail.reason],
    since: cardTime(detail.queuedAt),
    contact: [
      ...(detail.contact.email ? [{ label: 'E-mail', value: detail.contact.email }] : []),
      ...(detail.contact.phone ? [{ label: 'Phone', value: detail.contact.phone }] : []),
    ],
    excerpt: excerptOf(detail),
    notice,
    buttons: buttonsFor(detail),
  });
}

export const caseCard = (detail: CaseDetail, notice?: string): Attachment =>
  CardFactory.adaptiveCard(caseCardContent(detail, notice));
