import { t } from '../../locales';
import type { Doc } from '../../storage/port';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The built-in Direct Line keeps the web chat's activities in the database (24 hours, the customer's own words,
 * sensitive numbers removed): they belong to the customer's export and go with their erasure.
 */
interface Grant {
  conversationId: string;
  token: string;
}

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

async function directLine(method: 'GET' | 'POST', path: string, token?: string, body?: unknown) {
  const response = await fetch(`${bot.url}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as unknown };
}

const directLineDocs = (conversationId: string) =>
  bot.app.db
    .collection<Doc & { conversationId?: string }>('directline')
    .find({ $or: [{ conversationId }, { _id: `c:${conversationId}` }] });

it('when a web chat customer is exported and erased, then the Direct Line copy of their conversation is in the export and then gone', async () => {
  const { token } = (await directLine('POST', '/tokens/generate')).body as Grant;
  const started = await directLine('POST', '/conversations', token, { locale: 'en-US' });
  expect(started.status).toBe(201);
  const { conversationId } = started.body as Grant;
  const typed = 'my wifi password is hunter2, the router keeps rebooting';
  expect(
    (
      await directLine('POST', `/conversations/${conversationId}/activities`, token, {
        type: 'message',
        text: typed,
        from: { name: 'Customer' },
      })
    ).status,
  ).toBe(200);
  const record = await bot.app.conversations.get(conversationId);
  expect(record).not.toBeNull();
  const customerId = record?.customerId ?? '';
  // The conversation record, its activities (the customer's words as typed among them).
  expect((await directLineDocs(conversationId)).length).toBeGreaterThanOrEqual(3);

  const exported = (await (
    await bot.api(`/api/admin/customers/${encodeURIComponent(customerId)}/export`)
  ).json()) as { directline: Array<{ json?: string }> };
  expect(exported.directline.some((doc) => doc.json?.includes('the router keeps rebooting'))).toBe(true);

  const erased = await bot.api(`/api/admin/customers/${encodeURIComponent(customerId)}`, {
    method: 'DELETE',
  });
  expect(erased.status).toBe(200);
  expect(
    ((await erased.json()) as { erased: Record<string, number> }).erased['directline'],
  ).toBeGreaterThanOrEqual(3);
  expect(await directLineDocs(conversationId)).toEqual([]);
});

it('when a web chat customer deletes their data in the chat, then the confirmation reaches them and the chat goes on', async () => {
  const { token } = (await directLine('POST', '/tokens/generate')).body as Grant;
  const { conversationId } = (await directLine('POST', '/conversations', token, { locale: 'en-US' }))
    .body as Grant;
  const say = (text: string) =>
    directLine('POST', `/conversations/${conversationId}/activities`, token, {
      type: 'message',
      text,
      from: { name: 'Customer' },
    });
  const shown = async () =>
    (
      (await directLine('GET', `/conversations/${conversationId}/activities`, token)).body as {
        activities: Array<{ text?: string }>;
      }
    ).activities.map((a) => a.text);
  expect((await say('the router keeps rebooting')).status).toBe(200);
  expect((await say('delete my data')).status).toBe(200);
  expect((await say('yes')).status).toBe(200);
  expect(await shown()).toContain(t('en', 'privacy.erased'));
  // What the customer wrote before is gone; the session is not.
  expect(await shown()).not.toContain('the router keeps rebooting');
  expect((await say('how do I pay my bill?')).status).toBe(200);
});

it('when a web chat customer sends a card number, then the chat shows and keeps their message without it, in their language', async () => {
  const { token } = (await directLine('POST', '/tokens/generate')).body as Grant;
  const { conversationId } = (await directLine('POST', '/conversations', token, { locale: 'pl-PL' }))
    .body as Grant;
  const card = '4111 1111 1111 1111';
  const sent = await directLine('POST', `/conversations/${conversationId}/activities`, token, {
    type: 'message',
    text: `moja karta ${card} została obciążona dwa razy`,
    locale: 'pl-PL',
    from: { name: 'Customer' },
  });
  expect(sent.status).toBe(200);
  const { activities } = (await directLine('GET', `/conversations/${conversationId}/activities`, token))
    .body as { activities: Array<{ id?: string; text?: string }> };
  const echo = activities.find((a) => a.id === (sent.body as { id: string }).id);
  expect(echo?.text).toBe(`moja karta ${t('pl', 'staff.redactedCard')} została obciążona dwa razy`);
  expect(JSON.stringify(await directLineDocs(conversationId))).not.toContain('1111');
  // The bot read the message and told the customer, in Polish, why the number is gone.
  expect(activities.map((a) => a.text)).toContain(t('pl', 'privacy.notice'));
});
