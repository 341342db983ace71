import { ensureIndexes } from '../../storage/schema';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { StaffPresence } from '../../handoff/presence';
import { HandoffService } from '../../handoff/service';
import type { CaseEvent, Contact } from '../../handoff/types';
import { t } from '../../locales';
import { ConversationStore } from '../../storage/conversations';
import { openSuiteDatabase } from '../helpers/testDatabase';
import { ManualClock } from '../storage/manualClock';
import {
  agentAnna,
  agentBen,
  customerSays,
  defaultHandoffConfig,
  followupsOver,
  handoffFixture,
  openCase,
  quietLog,
  RecordingCustomers,
  type Fixture,
} from './setup';

describe('relay between agent and customer', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await handoffFixture();
  });
  afterEach(() => f.close());

  it.each([
    ['<script>alert(1)</script>Your router is fixed.', 'Your router is fixed.', ['<script', 'alert']],
    ['Try again <img src=x onerror="alert(1)"> now', 'Try again', ['<img', 'onerror']],
    [
      'See [x](javascript:alert(1)) or [our page](https://example.com/help)',
      '[our page](https://example.com/help)',
      ['javascript:', '](javascript'],
    ],
    ['<b>Bold</b> and **markdown**', 'Bold and **markdown**', ['<b>']],
  ])('when an agent writes %j, then the customer receives only safe text', async (written, kept, removed) => {
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    const message = await f.handoff.agentMessage(id, agentAnna, written);
    expect(message).toMatchObject({ from: 'agent', delivery: 'sent', agentName: 'Anna' });
    const received = f.customers.textsTo('conv-1').at(-1) ?? '';
    expect(received).toBe(message.text);
    expect(received).toContain(kept);
    for (const bad of removed) expect(received).not.toContain(bad);
  });

  it('when an agent message is nothing but HTML, then it is refused', async () => {
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    await expect(f.handoff.agentMessage(id, agentAnna, '<script>alert(1)</script>')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('when the customer cannot be reached, then the agent gets 410 and the case is abandoned', async () => {
    const events: string[] = [];
    f.handoff.subscribe((e) => events.push(e.type));
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    f.customers.unreachable.add('conv-1');
    const error = await f.handoff.agentMessage(id, agentAnna, 'Hello?').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 410, code: 'customer_unreachable' });
    const detail = await f.handoff.get(id);
    expect(detail.status).toBe('abandoned');
    expect(detail.messages).toEqual([expect.objectContaining({ text: 'Hello?', delivery: 'unreachable' })]);
    expect(events).toEqual(['created', 'assigned', 'abandoned']);
  });

  it('when the customer is gone as an agent takes the case, then the take answers the abandoned case', async () => {
    const id = await openCase(f);
    f.customers.unreachable.add('conv-1');
    // The take was committed before the customer was found gone: an answer, not an error.
    expect(await f.handoff.take(id, agentAnna)).toMatchObject({
      status: 'abandoned',
      delivery: 'unreachable',
    });
    expect((await f.handoff.get(id)).status).toBe('abandoned');
  });

  it('when the customer’s channel fails for now, then take, release and resolve stand and say so', async () => {
    const id = await openCase(f);
    f.customers.failing.add('conv-1');
    expect(await f.handoff.take(id, agentAnna)).toMatchObject({ status: 'assigned', delivery: 'failed' });
    expect(await f.handoff.release(id, agentAnna)).toMatchObject({ status: 'queued', delivery: 'failed' });
    await f.handoff.take(id, agentBen);
    expect(await f.handoff.resolve(id, agentBen)).toMatchObject({ status: 'resolved', delivery: 'failed' });
    // No survey without the notice; the episode stays open for the inactivity survey.
    expect(f.customers.surveys).toEqual([]);
    f.customers.failing.clear();
    const again = await openCase(f);
    expect(await f.handoff.take(again, agentAnna)).toMatchObject({ status: 'assigned', delivery: 'sent' });
  });

  it('when a resolved conversation had no open episode, then the survey’s episode is new, never the case id', async () => {
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    await f.handoff.resolve(id, agentAnna);
    const episodeId = f.customers.surveys[0]?.options.episodeId;
    expect(episodeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(episodeId).not.toBe(id);
  });

  it('when the customer writes during a handoff, then the message is kept with the case and staff are told', async () => {
    const events: CaseEvent[] = [];
    f.handoff.subscribe((e) => events.push(e));
    const id = await openCase(f);
    await f.handoff.customerMessage('conv-1', 'Are you there?');
    await f.handoff.customerMessage('conv-without-case', 'ignored');
    const detail = await f.handoff.get(id);
    expect(detail.messages.map((m) => [m.from, m.text])).toEqual([['customer', 'Are you there?']]);
    expect(events.at(-1)).toMatchObject({
      type: 'message',
      caseView: { id },
      message: { text: 'Are you there?' },
    });
  });

  it('when a listener throws, then the others still get the event and the action succeeds', async () => {
    const seen: string[] = [];
    f.handoff.subscribe(() => {
      throw new Error('broken listener');
    });
    const unsubscribe = f.handoff.subscribe((e) => seen.push(e.type));
    await openCase(f, 'conv-1');
    unsubscribe();
    await openCase(f, 'conv-2');
    expect(seen).toEqual(['created']);
  });

  it('when the conversation had an open episode, then the survey after resolving belongs to it', async () => {
    await customerSays(f, 'conv-1', 'hello');
    const episode = await f.conversations.openEpisode('conv-1');
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    await f.handoff.resolve(id, agentAnna);
    expect(f.customers.surveys[0]?.options).toMatchObject({ episodeId: episode.id, agentId: 'agent-anna' });
  });
});

describe('external agent hub (HANDOFF_MODE=external)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await handoffFixture({ HANDOFF_MODE: 'external' });
  });
  afterEach(() => f.close());

  async function openExternal(contact: Contact = { email: 'sari@example.co.id' }): Promise<string> {
    await customerSays(f, 'conv-1', 'Saya perlu bicara dengan petugas', 'id');
    const { caseDoc } = await f.handoff.open({
      conversationId: 'conv-1',
      customerId: 'c',
      locale: 'id',
      channel: 'directline',
      reason: 'request',
      summary: 'Tagihan salah',
      contact,
      mode: 'external',
    });
    return caseDoc.id;
  }

  it('when the channel is Teams, then the handoff stays internal', () => {
    expect(f.handoff.modeFor('msteams')).toBe('internal');
    expect(f.handoff.modeFor('directline')).toBe('external');
  });

  it('when the hub accepts and completes, then the case is resolved and the customer is back with a survey', async () => {
    const id = await openExternal();
    await expect(f.handoff.take(id, agentAnna)).rejects.toMatchObject({ status: 409 });
    await f.handoff.onHandoffStatus('conv-1', { state: 'accepted' });
    expect((await f.handoff.get(id)).status).toBe('assigned');
    await f.handoff.onHandoffStatus('conv-1', JSON.stringify({ state: 'completed' }));
    await f.handoff.idle();
    expect((await f.handoff.get(id)).status).toBe('resolved');
    expect(f.customers.textsTo('conv-1')).toEqual([
      expect.stringContaining('Anda kembali dilayani asisten virtual'),
    ]);
    expect(f.customers.surveys[0]?.options).toMatchObject({
      resolution: 'agent',
      agentId: 'external',
      caseId: id,
    });
  });

  it('when the hub fails, then the case becomes a ticket and the customer is told when to expect a reply', async () => {
    const id = await openExternal();
    await f.handoff.onHandoffStatus('conv-1', { state: 'failed', message: 'no agents' });
    await f.handoff.idle();
    expect(await f.handoff.get(id)).toMatchObject({ status: 'expired', ticket: true });
    expect(f.customers.textsTo('conv-1')).toEqual([
      'Mohon maaf, saat ini saya tidak dapat menghubungkan Anda dengan petugas. Permintaan Anda sudah saya simpan sebagai pesan. Petugas kami akan menghubungi Anda secepatnya, biasanya dalam satu hari kerja.',
    ]);
  });

  it('when the hub fails and the customer left no contact, then nothing is promised and nothing saved', async () => {
    const id = await openExternal({});
    await f.handoff.onHandoffStatus('conv-1', { state: 'failed' });
    await f.handoff.idle();
    expect(await f.handoff.get(id)).toMatchObject({ status: 'expired', ticket: false });
    expect(f.customers.textsTo('conv-1')).toEqual([
      `${t('id', 'handoff.externalFailedNoContact')} ${t('id', 'handoff.offerContactNow')}`,
    ]);
    expect(await f.followups.list()).toEqual([]);
  });

  it('when a status event is malformed or there is no external case, then nothing changes', async () => {
    const id = await openExternal();
    await f.handoff.onHandoffStatus('conv-1', { state: 'weird' });
    await f.handoff.onHandoffStatus('conv-1', 'not json');
    await f.handoff.onHandoffStatus('conv-other', { state: 'completed' });
    expect((await f.handoff.get(id)).status).toBe('queued');
  });
});

describe('restart', () => {
  it('when the process restarts on its datafiles, then cases, assignments and messages are all still there', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'handoff-'));
    const clock = new ManualClock(new Date('2025-03-04T10:00:00Z'));
    const customers = new RecordingCustomers();
    const boot = async () => {
      const db = await openSuiteDatabase(clock, dir);
      const conversations = new ConversationStore(db, clock, { transcriptTurns: 30, retentionDays: 90 });
      const handoff = new HandoffService({
        db,
        clock,
        config: defaultHandoffConfig,
        conversations,
        customers,
        followups: followupsOver(db, clock, conversations),
        presence: new StaffPresence(clock),
        log: quietLog,
      });
      await ensureIndexes(db);
      return { db, conversations, handoff };
    };
    try {
      const first = await boot();
      await first.conversations.touch({
        conversationId: 'conv-1',
        reference: {},
        customerId: 'c',
        channel: 'webchat',
        locale: 'pl',
        text: 'pomocy',
      });
      const { caseDoc } = await first.handoff.open({
        conversationId: 'conv-1',
        customerId: 'c',
        locale: 'pl',
        channel: 'webchat',
        reason: 'request',
        summary: 'Brak internetu',
      });
      await first.handoff.take(caseDoc.id, agentAnna);
      await first.handoff.customerMessage('conv-1', 'Jest tam ktoś?');
      await first.db.close();

      const second = await boot();
      const active = await second.handoff.activeCase('conv-1');
      expect(active).toMatchObject({
        id: caseDoc.id,
        status: 'assigned',
        agentId: 'agent-anna',
        locale: 'pl',
      });
      expect(active?.createdAt).toEqual(new Date('2025-03-04T10:00:00Z'));
      await expect(second.handoff.take(caseDoc.id, agentBen)).rejects.toMatchObject({ status: 409 });
      await second.handoff.agentMessage(caseDoc.id, agentAnna, 'Tak, już sprawdzam.');
      const detail = await second.handoff.get(caseDoc.id);
      expect(detail.transcript.map((l) => l.text)).toEqual(['pomocy']);
      expect(detail.messages.map((m) => m.text)).toEqual(['Jest tam ktoś?', 'Tak, już sprawdzam.']);
      await second.db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
