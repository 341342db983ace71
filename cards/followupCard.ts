import { CardFactory, type Attachment } from 'botbuilder';
import type { FollowupContact, FollowupDetail, FollowupReason, FollowupStatus } from '../handoff/followups';
import { t, type MessageKey, type Params } from '../locales';
import { renderRedactions } from '../privacy/redact';
import { cardTime, excerptOf, languageOf } from './caseCard';
import { expandTemplate, writtenFact } from './template';

/**
 * The verbs of the follow-up card. They are staff verbs (`case.*`, see `isCaseVerb`): they count only from the
 * staff space, like the case card's.
 */
export const FOLLOWUP_VERBS = {
  claim: 'case.followup.claim',
  close: 'case.followup.close',
  refresh: 'case.followup.refresh',
} as const;

export function isFollowupVerb(verb: string): boolean {
  return verb.startsWith('case.followup.');
}

export const followupReasonKeys: Record<FollowupReason, MessageKey> = {
  'left-message': 'staff.followupLeftMessage',
  'queue-timeout': 'staff.followupQueueTimeout',
  'low-rating': 'staff.followupLowRating',
};

const contactKeys: Record<FollowupContact['kind'], MessageKey> = {
  email: 'staff.email',
  phone: 'staff.phone',
  teams: 'staff.teams',
};

const styles: Record<FollowupStatus, string> = { open: 'warning', claimed: 'accent', closed: 'good' };

/** The line under the heading: open, claimed by whom, closed by whom. */
export function followupStateLine(detail: FollowupDetail, locale: string): string {
  if (detail.status === 'open') return t(locale, 'staff.followupStateOpen');
  if (detail.status === 'claimed')
    return t(locale, 'staff.followupStateClaimed', { name: detail.claimedBy?.name ?? '' });
  return t(locale, 'staff.followupStateClosed', { name: detail.closedBy?.name ?? '' });
}

/**
 * The staff card of a follow-up (cards/templates/followup.json) in the staff `locale`: summary, reason,
 * language, when, the ways to reach the customer, the score and comment of a low rating, a transcript excerpt;
 * Claim while open, a note field and Close until closed, the note once closed. Buttons are `Action.Execute`
 * with an `Action.Submit` fallback carrying `{verb, followupId}` (and the note input).
 */
export function followupCardContent(
  detail: FollowupDetail,
  locale: string,
  notice = '',
): Record<string, unknown> {
  const text = (key: MessageKey, params?: Params): string => t(locale, key, params);
  const closable = detail.status !== 'closed';
  return expandTemplate('followup', {
    followupId: detail.id,
    labels: {
      reason: text('staff.reason'),
      language: text('staff.language'),
      since: text('staff.followupSince'),
      comment: text('staff.followupComment'),
      note: text('staff.followupNote'),
      closeNote: text('staff.followupCloseNote'),
      recentConversation: text('staff.recentConversation'),
      refresh: text('staff.refresh'),
    },
    heading: text('staff.followupHeading', { id: detail.id.slice(0, 8) }),
    state: followupStateLine(detail, locale),
    style: styles[detail.status],
    summary: detail.summary ? renderRedactions(detail.summary, locale) : text('staff.noDescription'),
    reason: text(followupReasonKeys[detail.reason]),
    language: languageOf(detail.locale, locale),
    since: cardTime(detail.createdAt),
    facts: [
      ...(detail.score === undefined
        ? []
        : [{ label: text('staff.followupScore'), value: `${detail.score}/5` }]),
      ...detail.contact.map((c) => writtenFact(text(contactKeys[c.kind]), c.value)),
      ...(detail.contact.length === 0
        ? [{ label: text('staff.followupContact'), value: text('staff.followupNoContact') }]
        : []),
    ],
    comment: detail.comment ? renderRedactions(detail.comment, locale) : '',
    excerpt: excerptOf(detail.transcript, locale),
    note: detail.note ? renderRedactions(detail.note, locale) : '',
    closable,
    notice,
    buttons: [
      ...(detail.status === 'open'
        ? [{ title: text('staff.followupClaim'), verb: FOLLOWUP_VERBS.claim, style: 'positive' }]
        : []),
      ...(closable
        ? [{ title: text('staff.followupClose'), verb: FOLLOWUP_VERBS.close, style: 'default' }]
        : []),
    ],
  });
}

export const followupCard = (detail: FollowupDetail, locale: string, notice?: string): Attachment =>
  CardFactory.adaptiveCard(followupCardContent(detail, locale, notice));
