import type { Doc } from '../../storage/port';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The built-in Direct Line keeps the web chat's activities in the database (24 hours, the customer's own words
 * as typed): they belong to the customer's export and go with their erasure.
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
