import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, texts, type TestBot } from '../helpers/harness';
import {
  authorization,
  encode,
  hostileString,
  MARKUP,
  mostly,
  SANITIZER_BYPASSES,
  shortHostileString,
  queryString,
  segment,
  toJson,
  withExtraKeys,
  wrongValue,
} from './arbitraries';
import { expectClean, fuzzSeed, requestCount, runsOf, send, type FuzzRequest } from './support';

/**
 * Issue 12: the fuzz suite. Property-based (fast-check) hostile requests against the real app over HTTP:
 * /api/messages (Bot Framework activities), the admin API, the staff API and the embedded Direct Line.
 * Every answer must be below 500, errors must be `{error, message}` JSON without internal text, no customer
 * turn may fail (a failed turn apologises and deletes the customer's state), and afterwards the app is healthy
 * and its data readable.
 *
 * Replay: the seed is printed first; `FUZZ_SEED=<seed> npx jest tests/fuzz` runs the same requests again,
 * `FUZZ_SEED=random` new ones. fast-check prints the seed and path of a failing case.
 */

jest.setTimeout(120_000);

const seed = fuzzSeed();
const LOCALES = ['en', 'pl', 'id', 'nb'];
const SENTINEL = {
  id: 'en-fuzz-sentinel',
  locale: 'en',
  questions: ['How do I reset the fuzz sentinel?'],
  answer: 'Press the *sentinel* button.',
};

let bot: TestBot;
/** Errors of customer turns (a turn that failed and apologised), drained after each request. */
const turnErrors: string[] = [];
const tokens: Record<string, string> = {};
const caseIds: string[] = [];
/** Entries the fuzzed admin requests may change or delete (the sentinel stays untouched). */
const entryIds = ['en-fuzz-a', 'pl-fuzz-b'];

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  console.info(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx jest tests/fuzz)`);
  bot = await startTestBot();
  const onTurnError = bot.app.adapter.onTurnError;
  bot.app.adapter.onTurnError = async (context, error) => {
    turnErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    await onTurnError?.(context, error);
  };
  tokens.agent = (await bot.app.auth.issue('Fuzz Agent', 'agent', 'test')).token;
  const revoked = await bot.app.auth.issue('Revoked Agent', 'agent', 'test');
  await bot.app.auth.revoke(revoked.id);
  tokens.revoked = revoked.token;
  tokens.admin = ADMIN_TOKEN;
  for (const entry of [
    SENTINEL,
    { id: 'en-fuzz-a', locale: 'en', questions: ['fuzz a?'], answer: 'A.' },
    { id: 'pl-fuzz-b', locale: 'pl', questions: ['fuzz b?'], answer: 'B.' },
  ]) {
    expect((await bot.api('/api/admin/faq', { method: 'POST', body: JSON.stringify(entry) })).status).toBe(
      201,
    );
  }
  for (const n of [1, 2, 3, 4]) {
    const conversationId = `fuzz-case-${n}`;
    await bot.say('hello', { conversationId });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId,
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: `Case ${n}`,
    });
    caseIds.push(caseDoc.id);
  }
  const grant = await directLineConversation();
  tokens.customer = grant.token;
});

afterAll(() => bot.close());

/** Starts an embedded Direct Line conversation (a minute later, so the per-address start limit allows it). */
async function directLineConversation(): Promise<{
  conversationId: string;
  token: string;
  streamUrl: string;
}> {
  bot.clock.advance(61_000);
  const generated = await send(bot.url, { method: 'POST', path: '/v3/directline/tokens/generate' });
  const { token } = JSON.parse(generated.text) as { token: string };
  const started = await send(bot.url, {
    method: 'POST',
    path: '/v3/directline/conversations',
    headers: { ...json, ...bearer(token) },
    body: '{}',
  });
  expect(started.status).toBe(201);
  return JSON.parse(started.text) as { conversationId: string; token: string; streamUrl: string };
}

/** Sends the request and checks the answer and that no customer turn failed. */
async function check(request: FuzzRequest): Promise<{ status: number; text: string }> {
  const answer = await send(bot.url, request);
  const failedTurns = turnErrors.splice(0).map((error) => `a customer turn failed: ${error}`);
  expectClean(request, answer, failedTurns);
  return answer;
}

// ---- shared field generators ------------------------------------------------------------------------------

const locale = mostly(fc.constantFrom('en-US', 'pl-PL', 'id-ID', 'nb-NO', 'en', 'xx-YY', 'EN', 'zh-Hant-TW'));
const account = withExtraKeys(
  fc.record(
    {
      id: mostly(fc.constantFrom('user-1', 'user-2')),
      name: mostly(hostileString),
      aadObjectId: mostly(hostileString),
      role: mostly(fc.constantFrom('user', 'bot')),
    },
    { requiredKeys: [] },
  ),
);
const entities = fc.oneof(
  fc.constant(null),
  fc.array(
    withExtraKeys(
      fc.record(
        { type: mostly(fc.constantFrom('ClientCapabilities', 'mention', 'streaminfo')) },
        { requiredKeys: [] },
      ),
    ),
    { maxLength: 3 },
  ),
  wrongValue,
);
const attachments = mostly(
  fc.array(
    withExtraKeys(
      fc.record(
        {
          contentType: mostly(
            fc.constantFrom('application/vnd.microsoft.card.adaptive', 'image/png', 'text/html'),
          ),
          content: wrongValue,
          contentUrl: mostly(hostileString),
          name: mostly(hostileString),
        },
        { requiredKeys: [] },
      ),
    ),
    { maxLength: 3 },
  ),
);
const channelData = mostly(
  withExtraKeys(
    fc.record(
      {
        tenant: mostly(fc.record({ id: mostly(hostileString) })),
        team: mostly(fc.record({ id: mostly(hostileString) })),
        channel: mostly(fc.record({ id: mostly(hostileString) })),
        clientActivityID: mostly(hostileString),
      },
      { requiredKeys: [] },
    ),
  ),
);

/** Card actions and button presses: the verbs the bot knows, with hostile data. */
function cardValue(): fc.Arbitrary<unknown> {
  const data = withExtraKeys(
    fc.record(
      {
        verb: mostly(
          fc.constantFrom(
            'rating.submit',
            'case.take',
            'case.resolve',
            'case.release',
            'handoff.initiate',
            'faq.choose',
          ),
        ),
        caseId: mostly(fc.constantFrom(...caseIds)),
        episodeId: mostly(hostileString),
        score: mostly(fc.integer({ min: -2, max: 7 })),
        entryId: mostly(fc.constantFrom(...entryIds)),
      },
      { requiredKeys: [] },
    ),
  );
  return fc.oneof(
    data,
    data.map((d) => ({ action: { type: 'Action.Execute', verb: d.verb, data: d } })),
    wrongValue,
  );
}

// ---- /api/messages ----------------------------------------------------------------------------------------

function activity(): fc.Arbitrary<Record<string, unknown>> {
  return withExtraKeys(
    fc.record(
      {
        type: mostly(
          fc.constantFrom(
            'message',
            'message',
            'conversationUpdate',
            'invoke',
            'event',
            'messageReaction',
            'typing',
          ),
        ),
        id: mostly(shortHostileString),
        text: mostly(hostileString),
        textFormat: mostly(fc.constantFrom('plain', 'markdown', 'xml')),
        locale,
        localTimestamp: mostly(hostileString),
        timestamp: mostly(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
        name: mostly(fc.constantFrom('adaptiveCard/action', 'survey', 'webchat/join', 'signin/verifyState')),
        value: mostly(cardValue()),
        channelData,
        entities,
        attachments,
        from: mostly(account),
        recipient: mostly(
          withExtraKeys(
            fc.record(
              {
                id: mostly(fc.constantFrom('bot', 'user-1')),
                name: mostly(hostileString),
                role: mostly(fc.constantFrom('bot', 'user')),
              },
              { requiredKeys: ['id'] },
            ),
          ),
        ),
        membersAdded: mostly(fc.array(account, { maxLength: 3 })),
        replyToId: mostly(hostileString),
        channelId: fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom('webchat', 'msteams', 'directline', 'emulator') },
          { weight: 1, arbitrary: shortHostileString },
          { weight: 1, arbitrary: wrongValue },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
        conversation: withExtraKeys(
          fc.record(
            {
              id: fc.oneof(
                { weight: 6, arbitrary: fc.constantFrom('fz-1', 'fz-2', 'fz-3', 'fuzz-case-1') },
                { weight: 1, arbitrary: wrongValue },
              ),
              conversationType: mostly(fc.constantFrom('personal', 'channel', 'groupChat')),
              tenantId: mostly(hostileString),
              isGroup: mostly(fc.boolean()),
            },
            { requiredKeys: [] },
          ),
        ),
        serviceUrl: fc.option(wrongValue, { freq: 6, nil: undefined }),
        deliveryMode: fc.option(wrongValue, { freq: 6, nil: undefined }),
      },
      { requiredKeys: ['conversation'] },
    ),
  ).map((fields) => {
    const merged: Record<string, unknown> = {
      type: 'message',
      channelId: 'webchat',
      from: { id: 'user-1', name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: 'en-US',
      serviceUrl: bot.connector.url,
      deliveryMode: 'expectReplies',
      ...fields,
    };
    // Replies go to the recording connector, or come back in the answer: never to a generated address.
    if (merged.serviceUrl !== bot.connector.url) merged.deliveryMode = 'expectReplies';
    return merged;
  });
}

describe('the fuzz suite', () => {
  it('when /api/messages gets hostile activities, then it never answers 5xx or leaks, and no turn fails', async () => {
    await fc.assert(
      fc.asyncProperty(activity(), async (body) => {
        await check({ method: 'POST', path: '/api/messages', headers: json, body: toJson(body) });
      }),
      runsOf(seed, 220),
    );
  });

  it('when a customer leaves a hostile rating comment, then it is kept and the turn does not fail', async () => {
    let n = 0;
    await fc.assert(
      // Words that ask for a person are handled before the survey, as everywhere else in the chat.
      fc.asyncProperty(
        hostileString.filter((text) => !/human/i.test(text)),
        async (comment) => {
          const conversationId = `fz-rating-${++n}`;
          const say = async (text: string): Promise<string[]> => {
            const activityBody = {
              type: 'message',
              id: `m-${n}`,
              channelId: 'webchat',
              serviceUrl: bot.connector.url,
              from: { id: `rater-${n}`, name: 'Customer' },
              recipient: { id: 'bot', name: 'Bot' },
              conversation: { id: conversationId },
              locale: 'en-US',
              deliveryMode: 'expectReplies',
              text,
            };
            const answer = await check({
              method: 'POST',
              path: '/api/messages',
              headers: json,
              body: toJson(activityBody),
            });
            return texts((JSON.parse(answer.text) as { activities?: [] }).activities ?? []);
          };
          for (const step of [SENTINEL.questions[0] ?? '', 'yes', 'no']) await say(step);
          expect((await say('2')).join(' ')).toContain(t('en', 'feedback.apology'));
          // The bot follows the language the customer writes in.
          const thanked = (await say(`It was bad: ${comment}`)).join(' ');
          expect(
            LOCALES.filter((language) => thanked.includes(t(language, 'feedback.commentThanks'))),
          ).not.toEqual([]);
        },
      ),
      runsOf(seed, 12),
    );
  });

  it('when the admin API gets hostile requests with good and bad tokens, then it never answers 5xx or leaks', async () => {
    const id = segment(fc.constantFrom(...entryIds));
    const entry = withExtraKeys(
      fc.record(
        {
          id: mostly(fc.stringMatching(/^[a-z]{2}-fz-[a-z0-9]{1,8}$/)),
          topic: mostly(fc.stringMatching(/^[a-z0-9]{1,8}$/)),
          locale: mostly(fc.constantFrom(...LOCALES)),
          questions: mostly(fc.array(mostly(hostileString), { minLength: 1, maxLength: 3 })),
          answer: mostly(hostileString),
          category: mostly(hostileString),
          followUps: mostly(fc.array(mostly(fc.constantFrom(...entryIds)), { maxLength: 3 })),
          enabled: mostly(fc.boolean()),
          version: mostly(fc.integer({ min: -1, max: 4 })),
        },
        { requiredKeys: [] },
      ),
    );
    const csvCell = hostileString.map((cell) => `"${cell.replaceAll('"', '""')}"`);
    const csv = fc
      .tuple(
        fc.constantFrom(
          'id,locale,questions,answer',
          'questions,answer',
          'question\tanswer\tsource\tmetadata',
          'x',
        ),
        fc.array(fc.array(csvCell, { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
      )
      .map(([header, rows]) => [header, ...rows.map((cells) => cells.join(','))].join('\r\n'));
    const jsonBody = (record: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: wrongValue }).map(toJson);
    const routes: Array<fc.Arbitrary<FuzzRequest>> = [
      queryString(['locale', 'category', 'q'], fc.constantFrom(...LOCALES)).map((q) => ({
        method: 'GET',
        path: `/api/admin/faq${q}`,
      })),
      jsonBody(entry).map((body) => ({ method: 'POST', path: '/api/admin/faq', body })),
      fc.tuple(id, fc.constantFrom('GET', 'DELETE')).map(([entryId, method]) => ({
        method,
        path: `/api/admin/faq/${entryId}`,
      })),
      id.map((entryId) => ({ method: 'GET', path: `/api/admin/faq/${entryId}/history` })),
      fc
        .tuple(id, jsonBody(entry))
        .map(([entryId, body]) => ({ method: 'PUT', path: `/api/admin/faq/${entryId}`, body })),
      fc
        .tuple(
          queryString(
            ['format', 'locale', 'dryRun'],
            fc.constantFrom('json', 'csv', 'qna', 'en', 'true', 'false'),
          ),
          fc.oneof(
            jsonBody(fc.record({ entries: fc.array(entry, { maxLength: 4 }) })).map((body) => ({
              body,
              type: 'application/json',
            })),
            fc
              .tuple(
                csv,
                fc.constantFrom('text/csv', 'text/tab-separated-values', 'text/plain', 'application/json'),
              )
              .map(([body, type]) => ({ body, type })),
          ),
        )
        .map(([q, { body, type }]) => ({
          method: 'POST',
          path: `/api/admin/faq/import${q}`,
          headers: { 'content-type': type },
          body,
        })),
      queryString(['format', 'locale'], fc.constantFrom('json', 'csv', 'qna', 'en')).map((q) => ({
        method: 'GET',
        path: `/api/admin/faq/export${q}`,
      })),
      jsonBody(
        withExtraKeys(
          fc.record({ text: mostly(hostileString), locale: mostly(fc.constantFrom(...LOCALES)) }),
        ),
      ).map((body) => ({ method: 'POST', path: '/api/admin/faq/test', body })),
      queryString(['locale'], fc.constantFrom(...LOCALES)).map((q) => ({
        method: 'GET',
        path: `/api/admin/unanswered${q}`,
      })),
      fc
        .tuple(
          segment(fc.constant('x')),
          jsonBody(fc.record({ entryId: mostly(fc.constantFrom(...entryIds)) })),
        )
        .map(([unansweredId, body]) => ({
          method: 'POST',
          path: `/api/admin/unanswered/${unansweredId}/resolve`,
          body,
        })),
      fc
        .constantFrom('/api/admin/votes', '/api/admin/locales', '/api/admin/tokens')
        .map((path) => ({ method: 'GET', path })),
      jsonBody(
        withExtraKeys(
          fc.record({ name: mostly(hostileString), role: mostly(fc.constantFrom('admin', 'agent')) }),
        ),
      ).map((body) => ({ method: 'POST', path: '/api/admin/tokens', body })),
      segment(fc.constant('00000000-0000-4000-8000-000000000000')).map((tokenId) => ({
        method: 'DELETE',
        path: `/api/admin/tokens/${tokenId}`,
      })),
      fc
        .tuple(
          segment(fc.constant('00000000-0000-4000-8000-000000000000')),
          jsonBody(withExtraKeys(fc.record({ expiresInDays: mostly(fc.constantFrom(1, 90, null)) }))),
        )
        .map(([tokenId, body]) => ({ method: 'POST', path: `/api/admin/tokens/${tokenId}/renew`, body })),
      fc
        .tuple(
          fc.constantFrom('ratings/summary', 'ratings/trend', 'ratings/breakdown', 'ratings.csv'),
          queryString(
            ['from', 'to', 'locale', 'channel', 'resolution', 'agentId', 'bucket', 'by', 'separator'],
            fc.constantFrom(
              '2025-03-01',
              '2025-03-04T00:00:00Z',
              'en',
              'agent',
              'week',
              'locale',
              'channel',
              'semicolon',
            ),
          ),
        )
        .map(([report, q]) => ({ method: 'GET', path: `/api/admin/${report}${q}` })),
    ];
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
    );
    const request = fc
      .tuple(
        fc.oneof(...routes),
        authorization({
          admin: `Bearer ${ADMIN_TOKEN}`,
          agent: `Bearer ${tokens.agent}`,
          revoked: `Bearer ${tokens.revoked}`,
          customer: `Bearer ${tokens.customer}`,
          bare: ADMIN_TOKEN,
        }),
        contentType,
      )
      .map(([route, auth, type]): FuzzRequest => ({
        ...route,
        headers: { 'content-type': type, ...route.headers, ...auth },
      }));
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        await check(req);
      }),
      runsOf(seed, 160),
    );
  });

  it('when an answer with markup is saved, then what is stored renders without HTML or script links', async () => {
    const permissive = new MarkdownIt({ html: true, linkify: true });
    permissive.validateLink = () => true;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...MARKUP), hostileString), { minLength: 1, maxLength: 4 }),
        async (parts) => {
          const body = toJson({
            id: `en-fz-markup-${++n}`,
            locale: 'en',
            questions: ['markup?'],
            answer: `Answer ${parts.join('\n\n')}`.slice(0, 5000),
          });
          const created = await check({
            method: 'POST',
            path: '/api/admin/faq',
            headers: { ...json, ...bearer(ADMIN_TOKEN) },
            body,
          });
          if (created.status !== 201) return;
          const { answer } = JSON.parse(created.text) as { answer: string };
          const html = permissive.render(answer);
          expect(html).not.toMatch(
            /<(?!\/?(p|em|strong|a|img|br|ul|ol|li|code|pre|h\d|blockquote|hr|table|thead|tbody|tr|th|td|del|s)\b)[a-z]/i,
          );
          expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
          expect(html).not.toMatch(/\son[a-z]+=/i);
        },
      ),
      runsOf(seed, 40),
    );
  });

  it('when the staff API gets hostile requests with agent, customer and no tokens, then it never answers 5xx or leaks', async () => {
    const caseId = segment(fc.constantFrom(...caseIds));
    const transition = fc.constantFrom('take', 'resolve', 'release');
    const body = fc
      .oneof(
        { weight: 3, arbitrary: withExtraKeys(fc.record({ text: mostly(hostileString) })) },
        { weight: 1, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: wrongValue },
      )
      .map(toJson);
    const request = fc
      .tuple(
        fc.oneof(
          queryString(['status'], fc.constantFrom('queued', 'assigned', 'resolved', 'abandoned')).map(
            (q) => ({
              method: 'GET',
              path: `/api/agent/cases${q}`,
            }),
          ),
          caseId.map((id) => ({ method: 'GET', path: `/api/agent/cases/${id}` })),
          fc.tuple(caseId, transition, fc.option(body, { nil: undefined })).map(([id, name, payload]) => ({
            method: 'POST',
            path: `/api/agent/cases/${id}/${name}`,
            ...(payload === undefined ? {} : { body: payload }),
          })),
          fc.tuple(caseId, body).map(([id, payload]) => ({
            method: 'POST',
            path: `/api/agent/cases/${id}/messages`,
            body: payload,
          })),
          queryString(['languages'], fc.constantFrom('pl', 'id,nb', 'xx')).map((q) => ({
            method: 'GET',
            path: `/api/agent/messages${q}`,
          })),
        ),
        authorization({
          agent: `Bearer ${tokens.agent}`,
          lower: `bearer ${tokens.agent}`,
          admin: `Bearer ${ADMIN_TOKEN}`,
          revoked: `Bearer ${tokens.revoked}`,
          customer: `Bearer ${tokens.customer}`,
        }),
      )
      .map(([route, auth]): FuzzRequest => ({ ...route, headers: { ...json, ...auth } }));
    // The event stream stays open for a valid token: only refusals are fuzzed there.
    const events = fc
      .tuple(
        authorization({ revoked: `Bearer ${tokens.revoked}`, customer: `Bearer ${tokens.customer}` }),
        queryString(['token'], fc.constantFrom(tokens.revoked ?? '', tokens.customer ?? '')),
      )
      .map(([auth, q]): FuzzRequest => ({ method: 'GET', path: `/api/agent/events${q}`, headers: auth }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: request }, { weight: 1, arbitrary: events }),
        async (req) => {
          await check(req);
        },
      ),
      runsOf(seed, 100),
    );
  });

  it('when the embedded Direct Line gets hostile requests and tokens, then it never answers 5xx or leaks', async () => {
    let current = await directLineConversation();
    const other = await directLineConversation();
    let posts = 0;
    const streamToken = (grant: { streamUrl: string }) =>
      new URL(grant.streamUrl).searchParams.get('t') ?? '';
    const dlActivity = withExtraKeys(
      fc.record(
        {
          type: mostly(fc.constantFrom('message', 'message', 'event', 'typing', 'conversationUpdate')),
          text: mostly(hostileString),
          textFormat: mostly(fc.constantFrom('plain', 'markdown', 'xml')),
          locale,
          localTimezone: mostly(hostileString),
          localTimestamp: mostly(fc.constantFrom('2025-03-01T10:00:00+01:00', 'yesterday', '')),
          name: mostly(hostileString),
          value: mostly(cardValue()),
          replyToId: mostly(hostileString),
          from: mostly(account),
          channelData,
          attachments,
          entities,
        },
        { requiredKeys: [] },
      ),
    ).map(toJson);
    const conversationPath = fc.oneof(
      { weight: 6, arbitrary: fc.constant('current') },
      { weight: 1, arbitrary: fc.constant('other') },
      { weight: 2, arbitrary: segment(fc.constant('dl_x')) },
    );
    const tokenChoice = fc.constantFrom(
      'current',
      'current',
      'current',
      'other',
      'stream',
      'admin',
      'none',
      'garbage',
    );
    const request = fc.record({
      route: fc.constantFrom('generate', 'refresh', 'start', 'reconnect', 'post', 'poll', 'botSide'),
      conversation: conversationPath,
      token: tokenChoice,
      body: fc.oneof(dlActivity, wrongValue.map(toJson), fc.constant('')),
      watermark: queryString(['watermark'], fc.constantFrom('0', '1', '-1', '99999999999')),
      start: withExtraKeys(
        fc.record({ locale: mostly(fc.constantFrom('pl-PL', 'en')) }, { requiredKeys: [] }),
      ).map(toJson),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        // A fresh conversation now and then keeps the per-conversation request limit from answering everything.
        if (++posts % 40 === 0) current = await directLineConversation();
        const conversationId =
          r.conversation === 'current'
            ? current.conversationId
            : r.conversation === 'other'
              ? other.conversationId
              : r.conversation;
        const token = {
          current: current.token,
          other: other.token,
          stream: streamToken(current),
          admin: ADMIN_TOKEN,
          none: '',
          garbage: 'eyJhbGciOiJub25lIn0.eyJjb252IjoiZGxfeCJ9.',
        }[r.token];
        const headers = { ...json, ...(token ? bearer(token) : {}) };
        const base = `/v3/directline/conversations/${conversationId}`;
        const req: FuzzRequest = {
          generate: { method: 'POST', path: '/v3/directline/tokens/generate', headers, body: r.body },
          refresh: { method: 'POST', path: '/v3/directline/tokens/refresh', headers },
          start: { method: 'POST', path: '/v3/directline/conversations', headers, body: r.start },
          reconnect: { method: 'GET', path: `${base}${r.watermark}`, headers },
          post: { method: 'POST', path: `${base}/activities`, headers, body: r.body },
          poll: { method: 'GET', path: `${base}/activities${r.watermark}`, headers },
          botSide: {
            method: 'POST',
            path: `/v3/directline/bot/v3/conversations/${conversationId}/activities`,
            headers: { ...json, 'x-embedded-directline-key': encode(token) },
            body: r.body,
          },
        }[r.route];
        await check(req);
      }),
      runsOf(seed, 110),
    );
  });

  /** A customer's message as a channel sends it, replies going to the recording connector. */
  const customerActivity = (conversationId: string): Record<string, unknown> => ({
    type: 'message',
    channelId: 'webchat',
    serviceUrl: bot.connector.url,
    from: { id: 'user-3', name: 'Customer' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: conversationId },
    locale: 'en-US',
    text: 'hello',
  });

  // Found by this suite (besides issue 12's list): activities a channel never sends failed the turn, and
  // without channelId the customer got no reply at all. They are refused at the door, naming the field.
  it.each<[string, (activity: Record<string, unknown>) => void]>([
    ['channelId', (a) => delete a.channelId],
    ['channelId', (a) => (a.channelId = '')],
    ['from.id', (a) => delete a.from],
    ['recipient.id', (a) => delete a.recipient],
    ['recipient.id', (a) => (a.recipient = null)],
    ['recipient.id', (a) => (a.recipient = { id: 5 })],
    ['id', (a) => (a.id = 5)],
    ['replyToId', (a) => (a.replyToId = {})],
  ])('when an activity has no valid %s, then it is refused with a 400 naming it', async (path, spoil) => {
    const activityBody = customerActivity(`fz-door-${path}`);
    spoil(activityBody);
    const answer = await check({
      method: 'POST',
      path: '/api/messages',
      headers: json,
      body: toJson(activityBody),
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'bad_request', details: [{ path }] });
  });

  // Wrong types in optional fields are dropped, so that the replies (which copy them) can still be sent.
  it.each<[string, Record<string, unknown>]>([
    ['from.name {}', { from: { id: 'user-3', name: {} } }],
    ['from.role 5', { from: { id: 'user-3', role: 5 } }],
    ['recipient.role 5', { recipient: { id: 'bot', role: 5 } }],
    ['conversation.tenantId 5', { conversation: { id: 'fz-tenant', tenantId: 5, isGroup: 'yes' } }],
    ['entities [{"type": 5}]', { entities: [{ type: 5 }] }],
    ['a mention without whom it mentions', { entities: [{ type: 'mention' }] }],
    [
      'a mention of the bot with a number as its text',
      { entities: [{ type: 'Mention', mentioned: { id: 'bot' }, text: 5 }] },
    ],
    [
      'a mention of the bot in an activity without text',
      { text: undefined, entities: [{ type: 'mention', mentioned: { id: 'bot' }, text: '@Bot' }] },
    ],
  ])(
    'when an activity carries %s and replies go to the channel, then the customer is answered',
    async (name, spoiled) => {
      const activityBody = { ...customerActivity(`fz-neutral-${name}`), ...spoiled };
      const { id } = activityBody.conversation as { id: string };
      const answer = await check({
        method: 'POST',
        path: '/api/messages',
        headers: json,
        body: toJson(activityBody),
      });
      expect(answer.status).toBeLessThan(300);
      expect(bot.connector.textsTo(id).length).toBeGreaterThan(0);
    },
  );

  it.each(SANITIZER_BYPASSES)(
    'when an answer contains %s, then it is not stored as a javascript: link',
    async (markup) => {
      const permissive = new MarkdownIt({ html: true });
      permissive.validateLink = () => true;
      const created = await check({
        method: 'POST',
        path: '/api/admin/faq',
        headers: { ...json, ...bearer(ADMIN_TOKEN) },
        body: toJson({ locale: 'en', questions: ['bypass?'], answer: `Answer\n\n${markup}\n\n[r\\]ef]` }),
      });
      const { answer } = JSON.parse(created.text) as { answer: string };
      expect(permissive.render(answer)).not.toMatch(/href="javascript:/i);
    },
  );

  // Fewer requests were sent when a property above stopped at a failure.
  it('after the run, the app is healthy, its data readable, and at least 500 requests were sent', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    const faq = await bot.api('/api/admin/faq');
    expect(faq.status).toBe(200);
    const { entries } = (await faq.json()) as { entries: Array<{ id: string }> };
    expect(entries.map((e) => e.id)).toContain(SENTINEL.id);
    expect((await bot.api('/api/agent/cases', { token: tokens.agent })).status).toBe(200);
    expect((await bot.api('/api/admin/ratings.csv')).status).toBe(200);
    expect(texts(await bot.say(SENTINEL.questions[0] ?? '', { conversationId: 'fz-after' }))).toContain(
      SENTINEL.answer,
    );
    expect(requestCount()).toBeGreaterThanOrEqual(500);
  });
});
