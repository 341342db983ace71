import { readdirSync } from 'node:fs';
import { CASE_VERBS, caseCardContent, EXCERPT_LINES } from '../../cards/caseCard';
import { FOLLOWUP_VERBS, followupCardContent } from '../../cards/followupCard';
import { ratingCardContent, ratingThanksContent } from '../../cards/ratingCard';
import { fromRoot } from '../../core/paths';
import type { FollowupDetail, FollowupStatus } from '../../handoff/followups';
import { caseStatuses, type CaseDetail } from '../../handoff/types';

const at = new Date('2025-03-04T09:30:15.123Z');

function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: '0b7c6f8e-3c1a-4f7e-9d2a-5e8f1a2b3c4d',
    status: 'queued',
    conversationId: 'conv-1',
    customerId: 'user-1',
    locale: 'pl',
    channel: 'webchat',
    reason: 'complaint',
    summary: 'My parcel never arrived',
    contact: { email: 'ana@example.com', phone: '+48 600 100 200' },
    priority: 4,
    basePriority: 3,
    ticket: false,
    external: false,
    createdAt: at,
    queuedAt: at,
    updatedAt: at,
    transcript: Array.from({ length: 7 }, (_, i) => ({
      from: i % 2 === 0 ? ('customer' as const) : ('bot' as const),
      text: `line ${i + 1}`,
      at: new Date(at.getTime() - (7 - i) * 1000),
    })),
    messages: [],
    ...overrides,
  };
}

function followupDetail(overrides: Partial<FollowupDetail> = {}): FollowupDetail {
  return {
    id: '5d1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f',
    conversationId: 'conv-1',
    reason: 'low-rating',
    summary: 'Nobody could fix it',
    contact: [{ kind: 'phone', value: '+48 600 100 200' }],
    score: 1,
    comment: 'Nobody could fix it',
    locale: 'pl',
    channel: 'webchat',
    createdAt: at,
    status: 'open',
    claimedBy: null,
    transcript: caseDetail().transcript,
    ...overrides,
  };
}

/** Fixture expansions of every template in cards/templates (name → cards built from it). */
const fixtures: Record<string, () => Array<Record<string, unknown>>> = {
  case: () =>
    caseStatuses.map((status) =>
      caseCardContent(
        caseDetail({ status, agentName: 'Ana' }),
        'en',
        status === 'assigned' ? 'Already taken' : '',
      ),
    ),
  rating: () => [
    ratingCardContent({ episodeId: 'e1', locale: 'nb', channel: 'msteams' }),
    ratingCardContent({ episodeId: 'e1', locale: 'id', channel: 'other' }),
  ],
  ratingThanks: () => [ratingThanksContent({ locale: 'en', score: 4 })],
  followup: () =>
    (['open', 'claimed', 'closed'] as FollowupStatus[]).map((status) =>
      followupCardContent(
        followupDetail({
          status,
          claimedBy: status === 'open' ? null : { id: 'a', name: 'Ana' },
          ...(status === 'closed' ? { closedBy: { id: 'a', name: 'Ana' }, note: 'Called back' } : {}),
        }),
        'en',
        status === 'claimed' ? 'Already claimed' : '',
      ),
    ),
};

type Json = Record<string, unknown>;
const actionsOf = (card: Json): Json[] => (Array.isArray(card.actions) ? (card.actions as Json[]) : []);

describe('card templates', () => {
  const templates = readdirSync(fromRoot('cards', 'templates'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''));

  it('when a template is added, then it has fixture data here', () => {
    expect(templates.sort()).toEqual(Object.keys(fixtures).sort());
  });

  it.each(templates)('when %s is expanded with fixture data, then no ${ placeholder is left', (name) => {
    const build = fixtures[name];
    expect(build).toBeDefined();
    for (const card of build?.() ?? []) {
      expect(card.version).toBe('1.5');
      expect(JSON.stringify(card)).not.toContain('${');
    }
  });
});

describe('case card', () => {
  it('when the case is queued, then it offers Take as Action.Execute with an Action.Submit fallback', () => {
    const detail = caseDetail();
    const card = caseCardContent(detail, 'en');
    const [take, ...others] = actionsOf(card);
    expect(others).toEqual([]);
    expect(take).toMatchObject({
      type: 'Action.Execute',
      verb: CASE_VERBS.take,
      data: { verb: CASE_VERBS.take, caseId: detail.id },
      fallback: { type: 'Action.Submit', data: { verb: CASE_VERBS.take, caseId: detail.id } },
    });
    expect(card.refresh).toMatchObject({ action: { verb: CASE_VERBS.refresh }, userIds: [] });
    const text = JSON.stringify(card);
    expect(text).toContain('My parcel never arrived');
    expect(text).toContain('Polish (pl)');
    expect(text).toContain('ana@example.com');
    expect(text).toContain('{{DATE(2025-03-04T09:30:15Z, SHORT)}}');
  });

  it('when the case is assigned, then it says who took it and offers Resolve and Release', () => {
    const card = caseCardContent(caseDetail({ status: 'assigned', agentName: 'Ana' }), 'en');
    expect(JSON.stringify(card)).toContain('Taken by Ana');
    expect(actionsOf(card).map((a) => a.verb)).toEqual([CASE_VERBS.resolve, CASE_VERBS.release]);
  });

  it('when the case is resolved, then it says by whom and has no buttons', () => {
    const card = caseCardContent(caseDetail({ status: 'resolved', agentName: 'Ana' }), 'en');
    expect(JSON.stringify(card)).toContain('Resolved by Ana');
    expect(actionsOf(card)).toEqual([]);
  });

  it('when the conversation is long, then only the last lines are shown, as literal text runs', () => {
    const card = caseCardContent(
      caseDetail({
        messages: [
          {
            id: 'm1',
            caseId: 'c',
            from: 'customer',
            text: '<b>x</b><script>1</script>',
            at: new Date(at.getTime() + 1),
          },
        ],
      }),
      'en',
    );
    const text = JSON.stringify(card);
    expect(text).not.toContain('line 3');
    expect(text).toContain('line 4');
    expect(text).toContain('"type":"TextRun","text":"<b>x</b><script>1</script>"');
    expect(text.match(/"Customer: "|"Bot: "/g)).toHaveLength(EXCERPT_LINES);
  });

  it('when a notice is given, then it is shown; without one, nothing is', () => {
    expect(
      JSON.stringify(caseCardContent(caseDetail(), 'en', 'This case was already taken by Ana.')),
    ).toContain('This case was already taken by Ana.');
    expect(JSON.stringify(caseCardContent(caseDetail(), 'en'))).not.toContain('"color":"Attention"');
  });

  it('when the staff locale is pl, then every label, state, reason and button is Polish', () => {
    const queued = JSON.stringify(caseCardContent(caseDetail({ locale: 'nb' }), 'pl'));
    for (const polish of [
      'Zgłoszenie 0b7c6f8e',
      'Czeka w kolejce',
      'Język',
      'Priorytet',
      'Powód',
      'Czeka od',
    ]) {
      expect(queued).toContain(polish);
    }
    expect(queued).toContain('Reklamacja');
    expect(queued).toContain('Ostatnia rozmowa');
    expect(queued).toContain('"Klient: "');
    expect(queued).toContain('"title":"Przejmij"');
    expect(queued).toContain('"title":"Odśwież"');
    expect(queued).toContain('"title":"Telefon"');
    expect(queued).toMatch(/"value":"norweski[^"]*\(nb\)"/);
    const assigned = caseCardContent(caseDetail({ status: 'assigned', agentName: 'Ana' }), 'pl');
    expect(JSON.stringify(assigned)).toContain('Przejęte przez: Ana');
    expect(actionsOf(assigned).map((a) => a.title)).toEqual(['Rozwiąż', 'Zwróć do kolejki']);
    for (const english of [
      'Language',
      'Priority',
      'Waiting since',
      'Recent conversation',
      'Take',
      'Customer',
    ]) {
      expect(queued).not.toContain(`"${english}`);
    }
  });
});

describe('follow-up card', () => {
  it('when a follow-up is open, then it shows contact, score, comment and transcript, and offers Claim and Close with a note', () => {
    const detail = followupDetail();
    const card = followupCardContent(detail, 'en');
    const text = JSON.stringify(card);
    for (const shown of ['+48 600 100 200', '1/5', 'Nobody could fix it', 'line 7', 'Polish (pl)'])
      expect(text).toContain(shown);
    expect(text).toContain('Call-back after a low rating');
    expect(actionsOf(card)).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: FOLLOWUP_VERBS.claim,
        data: { verb: FOLLOWUP_VERBS.claim, followupId: detail.id },
        fallback: expect.objectContaining({ type: 'Action.Submit' }) as unknown,
      }),
      expect.objectContaining({ verb: FOLLOWUP_VERBS.close }),
    ]);
    expect(text).toContain('"type":"Input.Text","id":"note"');
  });

  it('when a follow-up is claimed, then only Close is offered; once closed, the note is shown and nothing can be pressed', () => {
    const claimed = followupCardContent(
      followupDetail({ status: 'claimed', claimedBy: { id: 'a', name: 'Ana' } }),
      'pl',
    );
    expect(JSON.stringify(claimed)).toContain('Przejęte przez: Ana');
    expect(actionsOf(claimed).map((a) => a.verb)).toEqual([FOLLOWUP_VERBS.close]);
    const closed = followupCardContent(
      followupDetail({ status: 'closed', closedBy: { id: 'a', name: 'Ana' }, note: 'Called, refunded' }),
      'en',
    );
    expect(JSON.stringify(closed)).toContain('Called, refunded');
    expect(JSON.stringify(closed)).not.toContain('Input.Text');
    expect(actionsOf(closed)).toEqual([]);
  });
});
