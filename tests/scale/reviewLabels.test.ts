import { t } from '../../locales';
import { texts } from '../helpers/harness';
import { eventually, startTwoInstances, type Instance, type TwoInstances } from './twoInstances';

/**
 * "Messages to review" on two instances over one store, each with its own understanding models: a label an admin
 * gives on one instance is taught on the other from its next message (the labels' change feed), and so is an undo.
 */
describe('review labels on two instances', () => {
  let two: TwoInstances;
  beforeAll(async () => {
    two = await startTwoInstances({ config: { FAQ_SEED_DEMO: 'true' }, freshUnderstanding: true });
  });
  afterAll(() => two.close());

  const TEXT = 'the router sits upstairs and the telly downstairs';
  const readOn = (instance: Instance) => instance.app.understanding.message(TEXT, 'en');
  /** Whether the instance reads TEXT as taught `label` (`undefined` when not: for {@link eventually}). */
  const taughtOn = (instance: Instance, label: string) => () =>
    Promise.resolve(
      (readOn(instance).label === label && readOn(instance).reasons.includes('lesson')) || undefined,
    );
  /** Whether the instance reads TEXT without any lesson. */
  const untaughtOn = (instance: Instance) => () =>
    Promise.resolve(readOn(instance).reasons.includes('lesson') ? undefined : true);

  let itemId: string;
  beforeAll(async () => {
    // Listed when the customer asks for a person after it.
    const who = { conversationId: 'labels-across-1' };
    await two.a.say(TEXT, who);
    await two.a.say('talk to a person', who);
    const { items } = (await (await two.a.api('/api/admin/review')).json()) as {
      items: { id: string; text: string }[];
    };
    const item = items.find((i) => i.text === TEXT);
    if (!item) throw new Error('not listed');
    itemId = item.id;
  });

  it('when an admin labels a message on one instance, then the other instance reads it as labelled', async () => {
    expect(readOn(two.b).label).toBe('other');
    const response = await two.a.api(`/api/admin/review/${itemId}/label`, {
      method: 'POST',
      body: JSON.stringify({ label: 'human' }),
    });
    expect(response.status).toBe(200);
    await eventually(taughtOn(two.b, 'human'), 'the label on instance b');
    const replies = texts(await two.b.say(TEXT, { conversationId: 'labels-across-2' }));
    expect(replies).toContain(t('en', 'handoff.ackRequest'));
  });

  it('when the admin takes the label back on the other instance, then neither reads it as labelled any more', async () => {
    const response = await two.b.api(`/api/admin/review/${itemId}/label`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await untaughtOn(two.b)()).toBe(true);
    await eventually(untaughtOn(two.a), 'the undo on instance a');
    expect(readOn(two.a).label).toBe('other');
  });
});
