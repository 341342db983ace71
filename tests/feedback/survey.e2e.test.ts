import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { t } from '../../locales';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.close();
});

it('probe', async () => {
  const r1 = await bot.say('how do I reset my password?', { locale: 'pl-PL' });
  console.log(texts(r1));
  const r2 = await bot.say('dzięki, to wszystko', { locale: 'pl-PL' });
  console.log(JSON.stringify(r2).slice(0, 1500));
  const r3 = await bot.say('cztery', { locale: 'pl-PL' });
  console.log(texts(r3));
  const s = await bot.api('/api/admin/ratings/summary');
  console.log(s.status, await s.text(), t('pl', 'feedback.prompt'));
});
