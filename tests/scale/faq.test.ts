import { readFileSync } from 'node:fs';
import type { FaqEntry } from '../../knowledge/types';
import { fromRoot } from '../../core/paths';
import { texts } from '../helpers/harness';
import { eventually, startTwoInstances, type Instance, type TwoInstances } from './twoInstances';

const demoIds = (
  JSON.parse(readFileSync(fromRoot('knowledge/demo/kb.json'), 'utf8')) as { entries: { id: string }[] }
).entries.map((e) => e.id);

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

describe('the FAQ on two instances over one store', () => {
  let two: TwoInstances;

  beforeAll(async () => {
    // Both apps start at once on an empty store with the demo seed on: two first starts.
    two = await startTwoInstances({ config: { FAQ_SEED_DEMO: 'true' } });
  });
  afterAll(() => two.close());

  /** The entry as the instance's index holds it (undefined while it has none). */
  const entryOn = async (instance: Instance, id: string): Promise<FaqEntry | undefined> => {
    const response = await instance.api(`/api/admin/faq/${id}`);
    return response.status === 200 ? ((await response.json()) as FaqEntry) : undefined;
  };
  /** What the instance's bot answers the question with (undefined: not with `answer`). */
  const answers = async (instance: Instance, question: string, answer: string): Promise<true | undefined> => {
    const replies = texts(await instance.say(question, { conversationId: `faq-${Math.random()}` }));
    return replies.some((text) => text.includes(answer)) ? true : undefined;
  };

  it('when both start for the first time at once, then every demo entry is stored once and both indexes hold them all', async () => {
    const stored = await two.db.collection('faq').find({});
    expect(stored.map((d) => d._id).sort()).toEqual([...demoIds].sort());
    const created = await two.db.collection('faqHistory').countDocuments({ action: 'create' });
    expect(created).toBe(demoIds.length);
    for (const instance of [two.a, two.b]) {
      expect(
        instance.app.kb
          .list()
          .map((e) => e.id)
          .sort(),
      ).toEqual([...demoIds].sort());
    }
  });

  it('when an entry is created on A, then B answers with it; edited on B, A answers the new way; removed on A, B no longer has it', async () => {
    const created = await two.a.api(
      '/api/admin/faq',
      json('POST', {
        id: 'en-giraffe-visits',
        locale: 'en',
        questions: ['Can I bring my pet giraffe into the shop?'],
        answer: 'Giraffes are welcome on the ground floor.',
      }),
    );
    expect(created.status).toBe(201);
    await eventually(() => entryOn(two.b, 'en-giraffe-visits'), 'B to know the new entry');
    await eventually(
      () => answers(two.b, 'Can I bring my pet giraffe into the shop?', 'Giraffes are welcome'),
      'B to answer with the new entry',
    );

    const edited = await two.b.api(
      '/api/admin/faq/en-giraffe-visits',
      json('PUT', {
        locale: 'en',
        questions: ['Can I bring my pet giraffe into the shop?', 'May a zebra come along to the store?'],
        answer: 'Giraffes and zebras are welcome on the ground floor.',
        version: 1,
      }),
    );
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ version: 2, topic: 'giraffe-visits' });
    await eventually(
      async () => ((await entryOn(two.a, 'en-giraffe-visits'))?.version === 2 ? true : undefined),
      'A to know the edit',
    );
    await eventually(
      () => answers(two.a, 'May a zebra come along to the store?', 'Giraffes and zebras are welcome'),
      'A to answer with the edited entry',
    );

    expect((await two.a.api('/api/admin/faq/en-giraffe-visits', { method: 'DELETE' })).status).toBe(204);
    await eventually(
      async () => ((await entryOn(two.b, 'en-giraffe-visits')) ? undefined : true),
      'B to forget the entry',
    );
    expect(
      await answers(two.b, 'May a zebra come along to the store?', 'Giraffes and zebras'),
    ).toBeUndefined();
  });

  it('when B imports a file, then A holds every created and updated entry', async () => {
    const file = {
      entries: [
        { id: 'en-import-one', locale: 'en', questions: ['Do you sell used routers?'], answer: 'No.' },
        { id: 'en-import-two', locale: 'en', questions: ['Do you rent out modems?'], answer: 'Yes.' },
        {
          id: 'en-getting-started',
          locale: 'en',
          questions: ['How do I get started?'],
          answer: 'Order online.',
        },
      ],
    };
    const imported = await two.b.api('/api/admin/faq/import?format=json', json('POST', file));
    expect(await imported.json()).toMatchObject({ created: 2, updated: 1 });
    for (const { id, answer } of file.entries) {
      await eventually(
        async () => ((await entryOn(two.a, id))?.answer === answer ? true : undefined),
        `A to hold ${id}`,
      );
    }
  });

  it('when an edit on A names a version B has replaced, then A answers 409 with the current version', async () => {
    const body = { locale: 'en', questions: ['Where do the owls sleep at night?'], answer: 'In the barn.' };
    expect((await two.b.api('/api/admin/faq', json('POST', { id: 'en-owls', ...body }))).status).toBe(201);
    await eventually(() => entryOn(two.a, 'en-owls'), 'A to know the new entry');
    const onB = await two.b.api(
      '/api/admin/faq/en-owls',
      json('PUT', { ...body, answer: 'Up in the loft.', version: 1 }),
    );
    expect(onB.status).toBe(200);

    const stale = await two.a.api(
      '/api/admin/faq/en-owls',
      json('PUT', { ...body, answer: 'Outside.', version: 1 }),
    );
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: 'conflict', details: { version: 2 } });
    const stored = await two.db.collection('faq').findOne({ _id: 'en-owls' });
    expect(stored).toMatchObject({ version: 2, answer: 'Up in the loft.' });
  });

  it('when both instances create the same id, then one gets 201, the other 409, and the entry is stored once', async () => {
    const body = { id: 'en-twin', locale: 'en', questions: ['Is there a twin discount?'], answer: 'Yes.' };
    const statuses = await Promise.all(
      [two.a, two.b].map(async (i) => (await i.api('/api/admin/faq', json('POST', body))).status),
    );
    expect(statuses.sort()).toEqual([201, 409]);
    expect(await two.db.collection('faq').countDocuments({ _id: 'en-twin' })).toBe(1);
  });
});
