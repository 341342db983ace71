import { ensureIndexes } from '../../storage/schema';
import pino from 'pino';
import { FollowupService } from '../../handoff/followups';
import { StaffPresence } from '../../handoff/presence';
import { HandoffService, type HandoffConfig } from '../../handoff/service';
import type { Contact, CustomerChannel, Delivery, SurveyRequest } from '../../handoff/types';
import { ConversationStore } from '../../storage/conversations';
import type { Database } from '../../storage/port';
import { openSuiteDatabase } from '../helpers/testDatabase';
import { ManualClock } from '../storage/manualClock';

/**
 * A customer channel that records what the service sends; conversations can be made unreachable (gone for
 * good) or failing (the channel does not answer for now).
 */
export class RecordingCustomers implements CustomerChannel {
  readonly texts: Array<{ conversationId: string; text: string }> = [];
  readonly surveys: Array<{ conversationId: string; options: SurveyRequest }> = [];
  readonly unreachable = new Set<string>();
  readonly failing = new Set<string>();

  sendText(conversationId: string, text: string): Promise<Delivery> {
    if (this.unreachable.has(conversationId)) return Promise.resolve('unreachable');
    if (this.failing.has(conversationId)) return Promise.resolve('failed');
    this.texts.push({ conversationId, text });
    return Promise.resolve('sent');
  }

  startSurvey(conversationId: string, options: SurveyRequest): Promise<Delivery> {
    this.surveys.push({ conversationId, options });
    return Promise.resolve('sent');
  }

  textsTo(conversationId: string): string[] {
    return this.texts.filter((m) => m.conversationId === conversationId).map((m) => m.text);
  }
}

export interface Fixture {
  db: Database;
  clock: ManualClock;
  conversations: ConversationStore;
  customers: RecordingCustomers;
  /** Who of staff is around: Anna is seen when the fixture starts (the queue gives wait estimates). */
  presence: StaffPresence;
  handoff: HandoffService;
  /** The follow-up inbox the service opens follow-ups in. */
  followups: FollowupService;
  /** A second service over the same database (a restarted process). */
  restart(): Promise<HandoffService>;
  close(): Promise<void>;
}

export const quietLog = pino({ level: 'silent' });

export const defaultHandoffConfig: HandoffConfig = {
  HANDOFF_MODE: 'internal',
  BUSINESS_HOURS: '',
  BUSINESS_TIMEZONE: 'UTC',
  HANDOFF_QUEUE_TIMEOUT_MINUTES: 10,
  HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: 0,
  TRANSCRIPT_RETENTION_DAYS: 90,
};

/** The follow-up inbox over a test store. */
export function followupsOver(
  db: Database,
  clock: ManualClock,
  conversations: ConversationStore,
): FollowupService {
  const events = { publish: () => Promise.resolve() };
  return new FollowupService({ db, clock, conversations, log: quietLog, retentionDays: 90, events });
}

/** A handoff service over a fresh store (tests/helpers/testDatabase.ts), a manual clock and a recording customer channel. */
export async function handoffFixture(
  config: Partial<HandoffConfig> = {},
  start = new Date('2025-03-04T10:00:00Z'),
): Promise<Fixture> {
  const clock = new ManualClock(start);
  const db = await openSuiteDatabase(clock);
  const conversations = new ConversationStore(db, clock, { transcriptTurns: 30, retentionDays: 90 });
  const customers = new RecordingCustomers();
  const followups = followupsOver(db, clock, conversations);
  const presence = new StaffPresence(clock);
  presence.seen(agentAnna.id);
  const create = async (): Promise<HandoffService> => {
    const service = new HandoffService({
      db,
      clock,
      config: { ...defaultHandoffConfig, ...config },
      conversations,
      customers,
      followups,
      presence,
      log: quietLog,
    });
    await ensureIndexes(db);
    return service;
  };
  return {
    db,
    clock,
    conversations,
    customers,
    presence,
    handoff: await create(),
    followups,
    restart: create,
    close: () => db.close(),
  };
}

/** Records a customer turn so the conversation has a reference and transcript. */
export async function customerSays(
  fixture: Fixture,
  conversationId: string,
  text: string,
  locale = 'en',
): Promise<void> {
  await fixture.conversations.touch({
    conversationId,
    reference: {
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    },
    customerId: `customer-of-${conversationId}`,
    channel: 'webchat',
    locale,
    text,
  });
}

export const agentAnna = { id: 'agent-anna', name: 'Anna', role: 'agent' as const };
export const agentBen = { id: 'agent-ben', name: 'Ben', role: 'agent' as const };
export const admin = { id: 'admin', name: 'admin', role: 'admin' as const };

/** Opens a case for a conversation (with one recorded customer line). */
export async function openCase(
  fixture: Fixture,
  conversationId = 'conv-1',
  extra: { locale?: string; reason?: 'request' | 'complaint'; anger?: number; contact?: Contact } = {},
): Promise<string> {
  const locale = extra.locale ?? 'en';
  await customerSays(fixture, conversationId, 'my internet has been down since Monday', locale);
  const { caseDoc } = await fixture.handoff.open({
    conversationId,
    customerId: `customer-of-${conversationId}`,
    locale,
    channel: 'webchat',
    reason: extra.reason ?? 'request',
    summary: 'Internet down since Monday',
    ...(extra.anger === undefined ? {} : { anger: extra.anger }),
    ...(extra.contact ? { contact: extra.contact } : {}),
  });
  return caseDoc.id;
}
