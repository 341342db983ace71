import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { createLogger } from '../../core/logger';
import { t } from '../../locales';
import type { BotStateDoc } from '../../storage/botStateStore';
import { collectionNames } from '../../storage/port';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * The privacy rules through the whole app over HTTP: what a customer types is redacted before staff, the
 * transcript, the unanswered list and the log see it; an admin exports and erases a customer; a customer erases
 * their own data in chat.
 */
const SECRETS = {
  card: '4111 1111 1111 1111',
  pesel: '44051401359',
  fnr: '15076500565',
  nik: '3201014501900001',
  secondCard: '5555-5555-5555-4444',
};
const compact = (text: string): string => text.replace(/[\s-]/g, '');
const leaks = (text: string): string[] =>
  Object.values(SECRETS).filter((secret) => compact(text).includes(compact(secret)));

const customer = { locale: 'en-US', conversationId: 'privacy-conv-a', userId: 'privacy-customer-a' };
const other = { locale: 'en-US', conversationId: 'privacy-conv-b', userId: 'privacy-customer-b' };

let bot: TestBot;
let dir: string;
let logFile: string;
let caseId = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'csb-privacy-'));
  logFile = path.join(dir, 'app.log');
  // LOG_CONTENT on and every level: the strongest setting still keeps the numbers out of the log.
  const log = createLogger('trace', {
    logContent: true,
    destination: pino.destination({ dest: logFile, sync: true }),
  });
  bot = await startTestBot({}, { log });
});
afterAll(async () => {
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

it('when the bot starts without MicrosoftAppId, then the log warns that /api/messages is unchecked', () => {
  expect(readFileSync(logFile, 'utf8')).toMatch(
    /"level":40,[^\n]*MicrosoftAppId is not set: \/api\/messages accepts/,
  );
});

const json = async <T>(pathname: string, init?: RequestInit): Promise<T> => {
  const response = await bot.api(pathname, init);
  expect(response.ok).toBe(true);
  return (await response.json()) as T;
};
const allDocs = async (): Promise<string> => {
  const parts = await Promise.all(
    collectionNames.map(async (name) => JSON.stringify(await bot.app.db.collection(name).find({}))),
  );
  return parts.join('\n');
};

describe('sensitive numbers a customer sends', () => {
  it('when the customer sends a card number, then they are told once, in their language, not to', async () => {
    const first = texts(await bot.say(`my card ${SECRETS.card} was charged twice`, customer));
    expect(first).toContain(t('en', 'privacy.notice'));
    const second = texts(await bot.say(`my PESEL is ${SECRETS.pesel}`, customer));
    expect(second).not.toContain(t('en', 'privacy.notice'));
    await bot.say(`fødselsnummer ${SECRETS.fnr} and NIK ${SECRETS.nik}`, customer);
  });

  it('when a Polish customer sends one, then the notice is in Polish', async () => {
    const replies = texts(
      await bot.say(`mój PESEL to ${SECRETS.pesel}`, {
        ...other,
        locale: 'pl-PL',
        conversationId: 'privacy-pl',
      }),
    );
    expect(replies).toContain(t('pl', 'privacy.notice'));
    // The notice mentions passwords; the next message is still not taken for one.
    await bot.say('zamówienie AB12345 nie dotarło', {
      ...other,
      locale: 'pl-PL',
      conversationId: 'privacy-pl',
    });
    expect(JSON.stringify(await bot.app.conversations.get('privacy-pl'))).toContain('AB12345');
  });

  it('when a Norwegian customer gives the wifi password with words between, then it is told and nothing keeps it', async () => {
    const who = { locale: 'nb-NO', conversationId: 'privacy-nb-wifi', userId: 'privacy-customer-nb' };
    const replies = texts(await bot.say('passordet på wifi er Katt2024 men det funker ikke', who));
    expect(replies).toContain(t('nb', 'privacy.notice'));
    const exported = JSON.stringify(await json(`/api/admin/customers/${who.userId}/export`));
    expect(exported).toContain('passordet på wifi er [[redacted:password]] men det funker ikke');
    expect(await allDocs()).not.toContain('Katt2024');
  });

  it('when the customer asks for a person and leaves an e-mail, then the case keeps the e-mail', async () => {
    const replies = texts(await bot.say('I want to talk to a human', customer));
    for (let turn = 0; turn < 5 && !caseId; turn++) {
      const last = replies[replies.length - 1] ?? '';
      const answer = /e-mail/i.test(last)
        ? 'jan.kowalski@example.com'
        : /describe/i.test(last)
          ? 'my internet has been down since yesterday'
          : 'yes';
      replies.push(...texts(await bot.say(answer, customer)));
      const queued = await json<Array<{ id: string; conversationId: string }>>(
        '/api/agent/cases?status=queued',
      );
      caseId = queued.find((c) => c.conversationId === customer.conversationId)?.id ?? '';
    }
    expect(caseId).not.toBe('');
    // While the case waits, the bot only says the message is kept.
    expect(texts(await bot.say(`card again ${SECRETS.secondCard}`, customer))).toEqual([
      t('en', 'handoff.stillQueued', { position: 1 }),
    ]);
    const detail = await json<{ contact: { email?: string } }>(`/api/agent/cases/${caseId}`);
    expect(detail.contact.email).toBe('jan.kowalski@example.com');
  });

  it('then no number appears in the staff API, the transcript, the unanswered list or the log', async () => {
    // A question the knowledge base cannot answer lands in the unanswered list, redacted.
    await bot.say(`can I rent a giraffe with my card ${SECRETS.card}?`, {
      ...other,
      conversationId: 'privacy-unanswered',
    });
    // An external hub event carrying a message: logged (as a warning), with LOG_CONTENT redacted.
    await bot.send(
      { type: 'event', name: 'handoff.status', value: { message: `card ${SECRETS.card}` } },
      customer,
    );
    const staffCase = JSON.stringify(await json(`/api/agent/cases/${caseId}`));
    const staffQueue = JSON.stringify(await json('/api/agent/cases'));
    const transcript = JSON.stringify(await bot.app.conversations.get(customer.conversationId));
    const unanswered = JSON.stringify(await json('/api/admin/unanswered'));
    const log = readFileSync(logFile, 'utf8');
    expect(staffCase).toContain('[[redacted:card]]');
    expect(transcript).toContain('[[redacted:national-id]]');
    expect(unanswered).toContain('[[redacted:');
    expect(log).toContain('[[redacted:card]]');
    expect({
      staffCase: leaks(staffCase),
      staffQueue: leaks(staffQueue),
      transcript: leaks(transcript),
      unanswered: leaks(unanswered),
      log: leaks(log),
      anywhereStored: leaks(await allDocs()),
    }).toEqual({
      staffCase: [],
      staffQueue: [],
      transcript: [],
      unanswered: [],
      log: [],
      anywhereStored: [],
    });
  });
});

interface Export {
  conversations: Array<{ _id: string }>;
  cases: Array<{ _id: string }>;
  caseMessages: unknown[];
  ratings: Array<{ score: number }>;
  ratingComments: Array<{ text: string }>;
  botState: unknown[];
  surveys: unknown[];
  reviewItems: Array<{ text: string }>;
  followups: Array<{ comment: string }>;
}

describe('right of access and erasure', () => {
  /** How many messages of the customer were listed for review (the export names them). */
  let reviewItems = 0;
  const summaryCount = async () => (await json<{ count: number }>('/api/admin/ratings/summary')).count;

  it('when the agent resolves and the customer rates and comments, then the export holds it all', async () => {
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' })).status).toBe(200);
    const before = bot.connector.sent.length;
    expect((await bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' })).status).toBe(200);
    await bot.connector.waitFor(
      (sent) => sent.slice(before).some((r) => (r.activity.attachments ?? []).length > 0),
      'the survey card',
    );
    // A negated score is asked again and listed for review (it belongs to the customer too).
    expect(texts(await bot.say('not 5', customer))).toEqual([t('en', 'feedback.askAgain')]);
    expect(texts(await bot.say('4', customer)).join(' ')).toMatch(/4\/5/);
    await bot.say('The agent was quick and kind', customer);
    // A call-back for the same customer is in the follow-up inbox.
    await bot.app.followups.open({
      conversationId: customer.conversationId,
      customerId: customer.userId,
      channel: 'webchat',
      locale: 'en',
      reason: 'low-rating',
      summary: 'Call me back',
      score: 2,
      comment: 'Call me back',
    });
    const exported = await json<Export>(`/api/admin/customers/${customer.userId}/export`);
    expect(exported.conversations.map((c) => c._id)).toEqual([customer.conversationId]);
    expect(exported.cases.map((c) => c._id)).toEqual([caseId]);
    expect(exported.caseMessages.length).toBeGreaterThan(0);
    expect(exported.ratings.map((r) => r.score)).toEqual([4]);
    expect(exported.ratingComments.map((c) => c.text)).toEqual(['The agent was quick and kind']);
    expect(exported.botState.length).toBeGreaterThan(0);
    expect(exported.reviewItems.map((r) => r.text)).toContain('not 5');
    expect(exported.followups.map((f) => f.comment)).toEqual(['Call me back']);
    reviewItems = exported.reviewItems.length;
    expect(await summaryCount()).toBe(1);
  });

  it('when an agent (not an admin) asks for the export or the erasure, then it is refused', async () => {
    const { token } = await json<{ token: string }>('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'Agent', role: 'agent' }),
    });
    expect((await bot.api(`/api/admin/customers/${customer.userId}/export`, { token })).status).toBe(403);
    expect(
      (await bot.api(`/api/admin/customers/${customer.userId}`, { method: 'DELETE', token })).status,
    ).toBe(403);
  });

  it('when the admin erases the customer, then nothing links to them and the rating still counts', async () => {
    await bot.say('hello there', other);
    // The customer's language preference from another channel, whose conversation record already expired.
    await bot.app.db.collection<BotStateDoc>('botState').insertOne({
      _id: `msteams/users/${customer.userId}/`,
      state: '{"locale":"en"}',
      eTag: '1',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const erased = await json<{ erased: Record<string, number> }>(`/api/admin/customers/${customer.userId}`, {
      method: 'DELETE',
    });
    expect(erased.erased).toMatchObject({
      conversations: 1,
      cases: 1,
      ratingsAnonymised: 1,
      ratingComments: 1,
      reviewItems,
      followups: 1,
    });
    const after = await json<Export>(`/api/admin/customers/${customer.userId}/export`);
    expect([
      after.conversations,
      after.cases,
      after.caseMessages,
      after.ratings,
      after.ratingComments,
      after.botState,
      after.surveys,
      after.reviewItems,
      after.followups,
    ]).toEqual([[], [], [], [], [], [], [], [], []]);
    const stored = await allDocs();
    expect(stored).not.toContain(customer.userId);
    expect(stored).not.toContain(customer.conversationId);
    expect(stored).not.toContain(caseId);
    expect(stored).not.toContain('quick and kind');
    expect(stored).toContain(other.userId);
    expect(await summaryCount()).toBe(1);
    const audit = await bot.app.db.collection('audit').find({});
    expect(audit).toEqual([
      expect.objectContaining({ action: 'customer.erase', by: 'admin', counts: erased.erased }),
    ]);
  });
});

describe('"delete my data" in chat', () => {
  it.each([
    ['pl-PL', 'pl', 'gdzie jest moja faktura?', 'usuń moje dane', 'tak'],
    ['id-ID', 'id', 'di mana tagihan saya?', 'hapus data saya', 'ya'],
    ['nb-NO', 'nb', 'hvor er fakturaen min?', 'slett dataene mine', 'ja'],
    ['en-US', 'en', 'where is my invoice?', 'delete my data', 'yes'],
  ])(
    'when a %s customer asks and confirms, then their data is erased',
    async (locale, lang, first, ask, yes) => {
      const who = { locale, conversationId: `erase-${lang}`, userId: `erase-user-${lang}` };
      await bot.say(first, who);
      expect(texts(await bot.say(ask, who))).toEqual([t(lang, 'privacy.confirmErase')]);
      expect(texts(await bot.say(yes, who))).toEqual([t(lang, 'privacy.erased')]);
      const stored = await allDocs();
      expect(stored).not.toContain(who.userId);
      expect(stored).not.toContain(who.conversationId);
    },
  );

  const buttons = (activities: Partial<Activity>[]): string[] =>
    activities.flatMap((a) => (a.suggestedActions?.actions ?? []).map((action) => String(action.title)));

  it.each([
    [
      'en-US',
      'en',
      'please delete all my data, i dont want you to keep anything',
      'wait what exactly gets deleted?',
      'Yes',
    ],
    ['pl-PL', 'pl', 'chce zeby usuneli moje dane osobowe (RODO)', 'a co dokladnie usuniecie?', 'Tak'],
    ['id-ID', 'id', 'tolong hapus semua data saya', 'bentar, apa aja yang dihapus?', 'Ya'],
    ['nb-NO', 'nb', 'slett alle opplysningene mine', 'vent, hva blir slettet?', 'Ja'],
  ])(
    'when a %s customer asks in a sentence and asks what is deleted, then the bot says, asks again with buttons, and erases on yes',
    async (locale, lang, ask, question, yes) => {
      const who = { locale, conversationId: `erase-sentence-${lang}`, userId: `erase-sentence-user-${lang}` };
      const asked = await bot.say(ask, who);
      expect(texts(asked)).toEqual([t(lang, 'privacy.confirmErase')]);
      expect(buttons(asked)).toEqual([t(lang, 'common.yes'), t(lang, 'common.no')]);
      const explained = await bot.say(question, who);
      expect(texts(explained)).toEqual([t(lang, 'privacy.eraseWhat')]);
      expect(buttons(explained)).toEqual([t(lang, 'common.yes'), t(lang, 'common.no')]);
      // The button's text, as the web chat sends it.
      expect(texts(await bot.say(yes, who))).toEqual([t(lang, 'privacy.erased')]);
      expect(await allDocs()).not.toContain(who.userId);
    },
  );

  it('when the customer asks a second question at the confirmation, then the request is dropped and the question answered as usual', async () => {
    const who = {
      locale: 'en-US',
      conversationId: 'erase-two-questions',
      userId: 'erase-user-two-questions',
    };
    await bot.say('delete my data', who);
    expect(texts(await bot.say('what gets deleted?', who))).toEqual([t('en', 'privacy.eraseWhat')]);
    const answered = texts(await bot.say('where is my invoice?', who));
    expect(answered).not.toContain(t('en', 'privacy.eraseWhat'));
    expect(answered.length).toBeGreaterThan(0);
    expect(texts(await bot.say('yes', who))).not.toContain(t('en', 'privacy.erased'));
    expect(await bot.app.conversations.get(who.conversationId)).not.toBeNull();
  });

  it('when the customer says no, then nothing is erased', async () => {
    const who = { locale: 'en-US', conversationId: 'erase-no', userId: 'erase-user-no' };
    await bot.say('where is my invoice?', who);
    await bot.say('delete my data', who);
    expect(texts(await bot.say('no', who))).toEqual([t('en', 'privacy.eraseKept')]);
    expect(await bot.app.conversations.get(who.conversationId)).not.toBeNull();
  });

  it('when the customer says never mind, then nothing is erased and the bot says so', async () => {
    const who = { locale: 'id-ID', conversationId: 'erase-never-mind', userId: 'erase-user-never-mind' };
    await bot.say('tagihan saya di mana?', who);
    await bot.say('hapus data saya', who);
    expect(texts(await bot.say('gak jadi', who))).toEqual([t('id', 'privacy.eraseKept')]);
    expect(await bot.app.conversations.get(who.conversationId)).not.toBeNull();
  });
});
