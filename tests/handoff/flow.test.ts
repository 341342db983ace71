import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baseLocale } from '../../language/words';
import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, texts, type TestBot } from '../helpers/harness';

interface CaseJson {
  id: string;
  status: string;
  conversationId: string;
  messages?: Array<{ from: string; text: string }>;
}

describe.each([
  [
    'en-US',
    'This is unacceptable, my internet has been down for three days!!!',
    'skip',
    'yes',
    'Thank you, goodbye',
    'this is ridiculous, still waiting!!',
  ],
  [
    'pl-PL',
    'To skandal, internet nie działa od trzech dni!!!',
    'pomiń',
    'tak',
    'Dziękuję, to wszystko',
    'to jakiś żart, ile można czekać!!',
  ],
  [
    'id-ID',
    'Saya sangat kecewa, internet mati sudah tiga hari!!!',
    'lewati',
    'ya',
    'terima kasih, itu saja',
    'parah banget, lama banget nunggunya!!',
  ],
  [
    'nb-NO',
    'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    'hopp over',
    'ja',
    'takk, det var alt',
    'helt latterlig, venter fortsatt!!',
  ],
])('the complaint-to-person flow in %s over HTTP', (locale, complaint, skip, yes, bye, angry) => {
  let bot: TestBot;
  let dataDir: string;
  const customer = { locale, conversationId: `flow-${locale}`, userId: `customer-${locale}` };
  let caseId = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'csb-flow-'));
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' }, { dataDir });
  });
  afterAll(async () => {
    await bot.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const queue = async (): Promise<CaseJson[]> =>
    (await (await bot.api('/api/agent/cases?status=queued')).json()) as CaseJson[];

  it('when the customer complains, then the bot apologises and a case is queued only after confirmation', async () => {
    const l = baseLocale(locale);
    const label = t(l, 'common.skip');
    // The complaint says enough: no description is asked, the apology comes first.
    expect(texts(await bot.say(complaint, customer))).toEqual([
      t(l, 'handoff.ackComplaint'),
      t(l, 'handoff.askContact', { skip: label }),
    ]);
    expect(texts(await bot.say(skip, customer))).toEqual([t(l, 'handoff.confirm', { summary: complaint })]);
    expect(await queue()).toEqual([]);
    // No staff member is signed in: the place in the queue, but no wait estimate.
    expect(texts(await bot.say(yes, customer))).toEqual([
      t(l, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    const queued = await queue();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.conversationId).toBe(customer.conversationId);
    caseId = queued[0]?.id ?? '';
  });

  it('when the waiting customer writes, then the bot says it is kept and where they are, at most every two minutes', async () => {
    const l = baseLocale(locale);
    expect(texts(await bot.say('?', customer))).toEqual([t(l, 'handoff.stillQueued', { position: 1 })]);
    expect(texts(await bot.say('??', customer))).toEqual([]);
    bot.clock.advance(2 * 60_000);
    expect(texts(await bot.say('???', customer))).toEqual([t(l, 'handoff.stillQueued', { position: 1 })]);
  });

  it('when the waiting customer writes angrily, then the bot apologises for the wait, and the message is kept', async () => {
    const l = baseLocale(locale);
    bot.clock.advance(2 * 60_000);
    expect(texts(await bot.say(angry, customer))).toEqual([
      t(l, 'handoff.stillQueuedSorry', { position: 1 }),
    ]);
    const detail = (await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as CaseJson;
    expect(detail.messages?.map((m) => m.text)).toContain(angry);
  });

  it('when the waiting customer writes angrily right after a plain notice, then the apology still comes, once', async () => {
    const l = baseLocale(locale);
    bot.clock.advance(2 * 60_000);
    expect(texts(await bot.say('any news?', customer))).toEqual([
      t(l, 'handoff.stillQueued', { position: 1 }),
    ]);
    bot.clock.advance(2 * 60_000);
    expect(texts(await bot.say('?', customer))).toEqual([t(l, 'handoff.stillQueued', { position: 1 })]);
    expect(texts(await bot.say(angry, customer))).toEqual([
      t(l, 'handoff.stillQueuedSorry', { position: 1 }),
    ]);
    expect(texts(await bot.say(angry, customer))).toEqual([]);
  });

  it('when two agents take the case, then the first gets it and the second gets 409', async () => {
    const token = (await (
      await bot.api('/api/admin/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'Second agent', role: 'agent' }),
      })
    ).json()) as { token: string };
    const first = await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST', token: ADMIN_TOKEN });
    const second = await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST', token: token.token });
    expect([first.status, second.status]).toEqual([200, 409]);
    await bot.connector.waitFor(
      (sent) => sent.some((r) => r.conversationId === customer.conversationId),
      'agent joined notice',
    );
  });

  it('when the agent writes, then the customer receives it with HTML removed', async () => {
    const before = bot.connector.sent.length;
    const response = await bot.api(`/api/agent/cases/${caseId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'I am checking your line now. <script>alert(1)</script>' }),
    });
    expect(response.status).toBeLessThan(300);
    await bot.connector.waitFor((sent) => sent.length > before, 'the agent message');
    const delivered = bot.connector.textsTo(customer.conversationId).join('\n');
    expect(delivered).toContain('I am checking your line now.');
    expect(delivered).not.toContain('<script>');
  });

  it('when the customer answers, then the agent sees it and the bot says nothing', async () => {
    expect(texts(await bot.say('Thanks, I will wait', customer))).toEqual([]);
    const detail = (await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as CaseJson;
    expect(detail.messages?.map((m) => m.text)).toContain('Thanks, I will wait');
  });

  it('when the bot restarts, then the case, the assignment and the relay survive', async () => {
    await bot.restart();
    const detail = (await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as CaseJson;
    expect(detail.status).toBe('assigned');
    const before = bot.connector.sent.length;
    await bot.api(`/api/agent/cases/${caseId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Your line is fixed.' }),
    });
    await bot.connector.waitFor((sent) => sent.length > before, 'the agent message after restart');
    expect(bot.connector.textsTo(customer.conversationId)).toContain('Your line is fixed.');
    expect(texts(await bot.say('great', customer))).toEqual([]);
  });

  it('when the agent resolves, then the customer is told, gets the survey, and the bot answers again', async () => {
    const before = bot.connector.sent.length;
    expect((await bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' })).status).toBe(200);
    await bot.connector.waitFor(
      (sent) =>
        sent
          .slice(before)
          .some((r) =>
            r.activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'),
          ),
      'the survey card',
    );
    const rated = texts(await bot.say('5', customer)).join(' ');
    expect(rated).toMatch(/5\/5/);
    await bot.say(skip, customer);
    const summary = (await (await bot.api('/api/admin/ratings/summary')).json()) as { count: number };
    expect(summary.count).toBe(1);
    const answer = texts(await bot.say(bye, customer));
    expect(answer.length).toBeGreaterThan(0);
  });
});
