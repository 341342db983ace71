import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

const picture = {
  contentType: 'image/png',
  contentUrl: 'https://example.com/router.png',
  name: 'router.png',
};

const cases = [
  { locale: 'en', question: 'I want to talk to a human' },
  { locale: 'id', question: 'mau bicara dengan CS' },
  { locale: 'pl', question: 'chcę rozmawiać z konsultantem' },
  { locale: 'nb', question: 'kan jeg snakke med et menneske?' },
] as const;

describe('attachments from the customer', () => {
  let bot: TestBot;
  const customer = newCustomers('attachments');

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it.each(cases)(
    'when a picture comes alone ($locale), then the customer is told it cannot be opened and asked for words',
    async ({ locale }) => {
      const replies = texts(await bot.send({ type: 'message', attachments: [picture] }, customer(locale)));
      expect(replies).toEqual([t(locale, 'common.attachments')]);
    },
  );

  it.each(cases)(
    'when a picture comes with text ($locale), then the customer is told about the picture and the text is handled as usual',
    async ({ locale, question }) => {
      const replies = texts(
        await bot.send({ type: 'message', text: question, attachments: [picture] }, customer(locale)),
      );
      expect(replies).toEqual([
        t(locale, 'common.attachments'),
        t(locale, 'handoff.ackRequest'),
        t(locale, 'handoff.describe'),
      ]);
    },
  );

  it('when a Teams message carries its own HTML body, then nothing is said about attachments', async () => {
    const replies = texts(
      await bot.send(
        {
          type: 'message',
          text: 'I want to talk to a human',
          attachments: [{ contentType: 'text/html', content: '<p>I want to talk to a human</p>' }],
        },
        customer('en'),
      ),
    );
    expect(replies).not.toContain(t('en', 'common.attachments'));
  });
});
