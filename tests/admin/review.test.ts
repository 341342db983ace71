import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { t } from '../../locales';
import { REVIEW_LIST_LIMIT, ReviewLog } from '../../review/log';
import { ratingsOf } from '../helpers/feedbackDocs';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * "Messages to review" (issue 10, learning from use): what the dialogs list, the admin API over real HTTP, and
 * a label taking effect from the next message, also after a restart.
 */

interface Item {
  id: string;
  text: string;
  locale: string;
  task: string;
  why: string;
  detail?: string;
  read: { label: string; confidence: number | null };
  status: string;
  label?: string;
  createdAt: string;
}

const QUESTION = 'how do I change my wifi password?';
/** Neither yes nor no, nor a question the knowledge base answers. */
const UNREADABLE = 'hmm purple banana';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});

afterAll(async () => {
  await bot.close();
});

async function listed(query = ''): Promise<Item[]> {
  const response = await bot.api(`/api/admin/review${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Item[] }).items;
}

function label(id: string, body: unknown) {
  return bot.api(`/api/admin/review/${id}/label`, { method: 'POST', body: JSON.stringify(body) });
}

/** Asks the question, says it helped and that nothing else is needed: the survey is asked. */
async function closeWithSurvey(conversationId: string, question = QUESTION): Promise<void> {
  const who = { conversationId };
  expect(texts(await bot.say(question, who))).toContain(t('en', 'faq.wasHelpful'));
  expect(texts(await bot.say('yes', who))).toContain(t('en', 'faq.glad'));
  const survey = texts(await bot.say('no', who));
  expect(survey).toContain(t('en', 'feedback.prompt'));
}

describe('what is listed for review', () => {
  it('when a rating reply cannot be read, then it is asked again and listed with what the bot read', async () => {
    await closeWithSurvey('rev-rating');
    expect(texts(await bot.say('dunno really', { conversationId: 'rev-rating' })).join(' ')).toContain(
      t('en', 'feedback.askAgain'),
    );
    const item = (await listed()).find((i) => i.text === 'dunno really');
    expect(item).toMatchObject({
      locale: 'en',
      task: 'rating',
      why: 'unread',
      status: 'open',
      read: { label: 'rating:none', confidence: null },
    });
    expect(Number.isNaN(Date.parse(item?.createdAt ?? ''))).toBe(false);
  });

  it.each([
    { locale: 'en', question: 'How do I change my Wi-Fi password?', yes: 'yes', no: 'no', reply: 'not 5' },
    {
      locale: 'id',
      question: 'Bagaimana cara mengganti kata sandi Wi-Fi?',
      yes: 'ya',
      no: 'tidak',
      reply: 'bukan 5',
    },
    { locale: 'pl', question: 'Jak zmienić hasło do Wi-Fi?', yes: 'tak', no: 'nie', reply: 'nie 5' },
    { locale: 'nb', question: 'Hvordan bytter jeg wifi-passord?', yes: 'ja', no: 'nei', reply: 'ikke 5' },
  ])(
    'when a $locale customer answers the survey "$reply", then no score is stored and the reply is listed',
    async (c) => {
      const who = { conversationId: `rev-negated-${c.locale}`, locale: c.locale };
      expect(texts(await bot.say(c.question, who))).toContain(t(c.locale, 'faq.wasHelpful'));
      await bot.say(c.yes, who);
      expect(texts(await bot.say(c.no, who))).toContain(t(c.locale, 'feedback.prompt'));
      expect(texts(await bot.say(c.reply, who)).join(' ')).toContain(t(c.locale, 'feedback.askAgain'));
      const item = (await listed(`?locale=${c.locale}`)).find((i) => i.text === c.reply);
      expect(item).toMatchObject({ task: 'rating', why: 'unread', read: { label: 'rating:none' } });
    },
  );

  it('when a reply to "did this answer your question?" cannot be read, then it is asked again and listed', async () => {
    const who = { conversationId: 'rev-confirm' };
    await bot.say(QUESTION, who);
    expect(texts(await bot.say(UNREADABLE, who))).toContain(t('en', 'faq.yesOrNo'));
    const item = (await listed()).find((i) => i.text === UNREADABLE);
    expect(item).toMatchObject({ task: 'confirm', why: 'unread', read: { label: 'other' } });
    expect(item?.read.confidence).toEqual(expect.any(Number));
  });

  it('when a reply to "shall I send it?" of a hand-over cannot be read, then it is asked again and listed', async () => {
    const who = { conversationId: 'rev-escalation-confirm' };
    expect(texts(await bot.say('talk to a person', who))).toContain(t('en', 'handoff.describe'));
    await bot.say('my router keeps restarting every evening since Monday', who);
    expect(texts(await bot.say('skip', who)).join(' ')).toContain('Shall I send it?');
    expect(texts(await bot.say('grape soda sky', who)).join(' ')).toContain(t('en', 'handoff.confirmRetry'));
    const item = (await listed()).find((i) => i.text === 'grape soda sky');
    expect(item).toMatchObject({ task: 'confirm', why: 'unread', read: { label: 'other' } });
  });

  it('when a conversation is rated 1, then the messages the router read as questions are listed', async () => {
    await closeWithSurvey('rev-low');
    expect(texts(await bot.say('1', { conversationId: 'rev-low' })).join(' ')).toContain(
      t('en', 'feedback.thanks', { score: 1 }),
    );
    const items = (await listed()).filter((i) => i.why === 'low-rating');
    expect(items.map(({ text, task, detail, read }) => ({ text, task, detail, label: read.label }))).toEqual([
      { text: QUESTION, task: 'message', detail: '1', label: 'other' },
    ]);
  });

  it('when a conversation is rated 4, then nothing of it is listed', async () => {
    const before = (await listed()).length;
    await closeWithSurvey('rev-good');
    await bot.say('4', { conversationId: 'rev-good' });
    expect((await listed()).length).toBe(before);
  });

  it('when a customer with earlier messages asks for a person, then those messages are listed', async () => {
    const who = { conversationId: 'rev-handover' };
    const question = 'which channels are in the basic tv package?';
    await bot.say(question, who);
    expect(texts(await bot.say('talk to a person', who))).toContain(t('en', 'handoff.ackRequest'));
    const items = (await listed()).filter((i) => i.why === 'handover');
    expect(items).toEqual([expect.objectContaining({ text: question, task: 'message', detail: 'request' })]);
  });

  it('when a complaint is handed to a person, then nothing is listed (the complaint was understood)', async () => {
    const who = { conversationId: 'rev-complaint' };
    const before = (await listed()).length;
    await bot.say('how much does the premium package cost per month?', who);
    expect(texts(await bot.say('this is unacceptable, I want to file a complaint', who)).join(' ')).toContain(
      t('en', 'handoff.ackComplaint'),
    );
    expect((await listed()).length).toBe(before);
  });
});

describe('labelling a message', () => {
  const find = async (text: string, task: string) => {
    const item = (await listed()).find((i) => i.text === text && i.task === task);
    if (!item) throw new Error(`"${text}" is not listed`);
    return item;
  };

  it('when an admin labels a question of a low-rated conversation as a complaint, then the same words in a new conversation are a complaint', async () => {
    const item = await find(QUESTION, 'message');
    const response = await label(item.id, { label: 'complaint' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: item.id, status: 'done', label: 'complaint' });
    expect((await listed()).some((i) => i.id === item.id)).toBe(false);
    expect(await listed('?status=done')).toEqual([
      expect.objectContaining({ id: item.id, label: 'complaint' }),
    ]);
    const replies = texts(await bot.say(QUESTION, { conversationId: 'rev-after-complaint' }));
    expect(replies.join(' ')).toContain(t('en', 'handoff.ackComplaint'));
  });

  it('when an admin labels an unread yes/no reply as yes, then the next customer who writes it is read as yes', async () => {
    const item = await find(UNREADABLE, 'confirm');
    expect((await label(item.id, { label: 'yes' })).status).toBe(200);
    const who = { conversationId: 'rev-after-yes' };
    await bot.say('how do I restart my router?', who);
    expect(texts(await bot.say(UNREADABLE.toUpperCase() + '!', who))).toContain(t('en', 'faq.glad'));
  });

  it('when an admin labels an unread rating reply as 3, then the next customer who types it rates 3', async () => {
    const item = await find('dunno really', 'rating');
    expect((await label(item.id, { label: 'rating:3' })).status).toBe(200);
    await closeWithSurvey('rev-after-rating', 'how do I restart my router?');
    expect(texts(await bot.say('dunno really', { conversationId: 'rev-after-rating' })).join(' ')).toContain(
      '3/5',
    );
    expect(await ratingsOf(bot, 'rev-after-rating')).toEqual([3]);
  });

  it('when an item is labelled twice, then the second answer is 409', async () => {
    const done = (await listed('?status=done')).find((i) => i.task === 'message');
    if (!done) throw new Error('no labelled item');
    const response = await label(done.id, { label: 'other' });
    expect(response.status).toBe(409);
  });
});

describe('the review API refuses what it should', () => {
  let open: Item;
  beforeAll(async () => {
    const who = { conversationId: 'rev-validation' };
    await bot.say('how do I restart my router?', who);
    await bot.say('xyz cabbage moon', who);
    const item = (await listed()).find((i) => i.text === 'xyz cabbage moon');
    if (!item) throw new Error('no open item');
    open = item;
  });

  it.each([
    ['a label of another task', { label: 'rating:5' }],
    ['an unknown label', { label: 'maybe' }],
    ['a NoSQL operator', { label: { $ne: null } }],
    ['a number', { label: 5 }],
    ['an array', { label: ['yes'] }],
    ['an extra field', { label: 'yes', status: 'open' }],
    ['no label', {}],
  ])('when the body has %s, then 400 with {error, message} and the item stays open', async (_name, body) => {
    const response = await label(open.id, body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: string; message: unknown };
    expect(error.error).toBe('bad_request');
    expect(typeof error.message).toBe('string');
    expect((await listed()).some((i) => i.id === open.id)).toBe(true);
  });

  it.each([
    ['an id that is not one', 400, '/api/admin/review/%7B%22$ne%22:1%7D/label'],
    ['an unknown id', 404, `/api/admin/review/${'0'.repeat(32)}/label`],
  ])('when the path has %s, then %s', async (_name, status, url) => {
    const response = await bot.api(url, { method: 'POST', body: JSON.stringify({ label: 'yes' }) });
    expect(response.status).toBe(status);
    const error = (await response.json()) as { error: unknown };
    expect(typeof error.error).toBe('string');
  });

  it.each([
    ['?status=everything', 400],
    ['?status[$ne]=done', 400],
    ['?locale=xx', 400],
    ['?locale[$gt]=', 400],
    ['?locale=pl', 200],
    ['?locale=&status=open', 200],
  ])('when the list is asked with %s, then %s', async (query, status) => {
    expect((await bot.api(`/api/admin/review${query}`)).status).toBe(status);
  });

  it('when the list is filtered by a language, then only its items are listed', async () => {
    for (const locale of ['en', 'pl']) {
      const items = await listed(`?locale=${locale}`);
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((i) => i.locale))).toEqual(new Set([locale]));
    }
  });

  it('when an agent or nobody asks, then 403 / 401', async () => {
    const issued = (await (
      await bot.api('/api/admin/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'Ann', role: 'agent' }),
      })
    ).json()) as { token: string };
    expect((await bot.api('/api/admin/review', { token: issued.token })).status).toBe(403);
    expect((await label(open.id, { label: 'yes' })).status).not.toBe(403);
    expect((await fetch(`${bot.url}/api/admin/review`)).status).toBe(401);
  });
});

describe('taking a label back', () => {
  const TEXT = 'my modem blinks orange since the storm';
  let itemId: string;
  beforeAll(async () => {
    const who = { conversationId: 'rev-undo' };
    await bot.say(TEXT, who);
    await bot.say('talk to a person', who);
    const item = (await listed()).find((i) => i.text === TEXT);
    if (!item) throw new Error('not listed');
    itemId = item.id;
  });
  const undo = (id: string, token?: string) =>
    bot.api(`/api/admin/review/${id}/label`, { method: 'DELETE', ...(token ? { token } : {}) });

  it('when an admin takes a label back, then the item is listed again and the words are read as before', async () => {
    const before = bot.app.understanding.message(TEXT, 'en').label;
    expect((await label(itemId, { label: 'complaint' })).status).toBe(200);
    expect(bot.app.understanding.message(TEXT, 'en')).toMatchObject({
      label: 'complaint',
      reasons: ['lesson'],
    });
    const response = await undo(itemId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: itemId, status: 'open' });
    const item = (await listed()).find((i) => i.id === itemId);
    expect(item).toMatchObject({ status: 'open' });
    expect(item?.label).toBeUndefined();
    const reading = bot.app.understanding.message(TEXT, 'en');
    expect(reading.label).toBe(before);
    expect(reading.reasons).not.toContain('lesson');
    const stored = await bot.app.db.collection('reviewLabels').findOne({ text: TEXT });
    expect(stored).toMatchObject({ label: 'complaint', revoked: true });
  });

  it('when the item is labelled again after the undo, then the new label is taught', async () => {
    expect((await label(itemId, { label: 'human' })).status).toBe(200);
    expect(bot.app.understanding.message(TEXT, 'en')).toMatchObject({ label: 'human', reasons: ['lesson'] });
    expect((await undo(itemId)).status).toBe(200);
  });

  it('when an item that is not labelled is taken back, then 409; an unknown one 404; an agent 403', async () => {
    expect((await undo(itemId)).status).toBe(409);
    expect((await undo('0'.repeat(32))).status).toBe(404);
    expect((await undo('%7B%22$ne%22:1%7D')).status).toBe(400);
    const issued = (await (
      await bot.api('/api/admin/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'Bo', role: 'agent' }),
      })
    ).json()) as { token: string };
    expect((await undo(itemId, issued.token)).status).toBe(403);
  });

  it('when another message with the same words was labelled since, then an undo of the first leaves that label', async () => {
    // Two conversations list the same words; the first is labelled, then the second otherwise, then the first undone.
    const text = 'the lights on my box are all red now';
    for (const conversationId of ['rev-same-1', 'rev-same-2']) {
      await bot.say(text, { conversationId });
      await bot.say('talk to a person', { conversationId });
    }
    const [first, second] = (await listed()).filter((i) => i.text === text);
    if (!first || !second) throw new Error('not listed twice');
    expect((await label(first.id, { label: 'complaint' })).status).toBe(200);
    expect((await label(second.id, { label: 'human' })).status).toBe(200);
    expect((await undo(first.id)).status).toBe(200);
    expect(bot.app.understanding.message(text, 'en')).toMatchObject({ label: 'human', reasons: ['lesson'] });
  });
});

describe('labels survive a restart', () => {
  it('when the app restarts over the same store, then the stored labels are taught again at start, and one taken back is not', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'review-restart-'));
    const restarting = await startTestBot({ FAQ_SEED_DEMO: 'true' }, { dataDir, freshUnderstanding: true });
    try {
      const text = 'the router is upstairs and the tv downstairs';
      const who = { conversationId: 'restart-1' };
      await restarting.say(text, who);
      await restarting.say('talk to a person', who);
      const items = (await (await restarting.api('/api/admin/review')).json()) as { items: Item[] };
      const item = items.items.find((i) => i.text === text);
      if (!item) throw new Error('not listed');
      expect(restarting.app.understanding.message(text, 'en').label).toBe('other');
      const response = await restarting.api(`/api/admin/review/${item.id}/label`, {
        method: 'POST',
        body: JSON.stringify({ label: 'human' }),
      });
      expect(response.status).toBe(200);
      const before = restarting.app.understanding;
      await restarting.restart();
      expect(restarting.app.understanding).not.toBe(before);
      expect(restarting.app.understanding.message(text, 'en')).toMatchObject({
        label: 'human',
        reasons: ['lesson'],
      });
      const replies = texts(await restarting.say(text, { conversationId: 'restart-2' }));
      expect(replies).toContain(t('en', 'handoff.ackRequest'));
      // A label taken back is not taught at the next start.
      expect((await restarting.api(`/api/admin/review/${item.id}/label`, { method: 'DELETE' })).status).toBe(
        200,
      );
      await restarting.restart();
      expect(restarting.app.understanding.message(text, 'en')).toMatchObject({ label: 'other' });
    } finally {
      await restarting.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    // It trains the understanding models three times (start, the label, the restart): slow on a loaded machine.
  }, 90_000);
});

describe('a review list longer than one page', () => {
  it('when more messages wait than one page holds, then the page says where the next one starts, and the pages together list each message once', async () => {
    // The messages of one conversation's turn share their time: the pages must not lose or repeat them.
    const log = new ReviewLog(bot.app.db, bot.clock, 30, bot.app.log);
    const texts = Array.from({ length: REVIEW_LIST_LIMIT + 5 }, (_, i) => `kvittering ${i + 1} mangler`);
    await log.record(
      texts.map((text) => ({
        conversationId: 'rev-pages',
        locale: 'nb',
        task: 'message',
        text,
        why: 'low-rating',
        detail: '1',
        read: { label: 'other', confidence: 0.4 },
      })),
    );
    const page = async (query: string) => {
      const response = await bot.api(`/api/admin/review?locale=nb${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { items: Item[]; next?: string };
    };
    const first = await page('');
    expect(first.items).toHaveLength(REVIEW_LIST_LIMIT);
    expect(first.next).toEqual(expect.any(String));
    // An item labelled meanwhile does not shift the next page.
    const labelled = first.items[0];
    if (!labelled) throw new Error('nothing listed');
    expect((await label(labelled.id, { label: 'other' })).status).toBe(200);
    const second = await page(`&after=${encodeURIComponent(first.next ?? '')}`);
    expect(second.next).toBeUndefined();
    const listedTexts = [...first.items, ...second.items]
      .map((i) => i.text)
      .filter((t) => t.startsWith('kvittering'));
    expect(listedTexts.sort()).toEqual([...texts].sort());
    expect((await bot.api('/api/admin/review?after=yesterday')).status).toBe(400);
  });
});
