import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { t } from '../../locales';
import { GREETING_REPEAT_MINUTES } from '../../dialogs/mainDialog';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * An explorer's finding: three quick greetings in a row ("hello??", "hello???") got the whole greeting three times. A
 * greeting soon after the bot greeted now gets a short "I'm here! What can I help you with?" in the customer's
 * language; one after a pause gets the whole greeting again. What the bot remembers is in the conversation state, so
 * it holds across instances (here: a restart over the same store).
 */
const CASES = [
  { locale: 'en', greetings: ['hello??', 'hello???', 'hi there'] },
  { locale: 'id', greetings: ['halo kak', 'halo??', 'p'] },
  { locale: 'pl', greetings: ['cześć', 'halo??', 'hej, jest tu ktoś?'] },
  { locale: 'nb', greetings: ['hei', 'hallo??', 'er det noen der?'] },
] as const;

const MINUTE = 60_000;

let bot: TestBot;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'repeated-greeting-'));
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' }, { dataDir });
});
afterAll(async () => {
  await bot.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const customer = newCustomers('regreet');

describe.each(CASES)('a greeting repeated ($locale)', ({ locale, greetings }) => {
  const [first, second, third] = greetings;

  it('when the customer greets three times in a row, then the bot greets once and then says it is here', async () => {
    const who = customer(locale);
    expect(texts(await bot.say(first, who))).toEqual([t(locale, 'common.greeting')]);
    bot.clock.advance(MINUTE);
    expect(texts(await bot.say(second, who))).toEqual([t(locale, 'common.stillHere')]);
    bot.clock.advance(MINUTE);
    expect(texts(await bot.say(third, who))).toEqual([t(locale, 'common.stillHere')]);
  });

  it('when the customer greets again after a pause, then the bot greets in full again', async () => {
    const who = customer(locale);
    await bot.say(first, who);
    bot.clock.advance(GREETING_REPEAT_MINUTES * MINUTE + 1);
    expect(texts(await bot.say(second, who))).toEqual([t(locale, 'common.greeting')]);
  });
});

it('when the customer greets again after a goodbye, then the bot greets in full again', async () => {
  const who = customer('en');
  await bot.say('hi', who);
  expect(texts(await bot.say('thanks, bye', who))).toEqual([t('en', 'common.goodbye')]);
  expect(texts(await bot.say('hi', who))).toEqual([t('en', 'common.greeting')]);
});

it('when another instance answers the repeated greeting, then it too says it is here', async () => {
  const who = customer('pl');
  await bot.say('dzień dobry', who);
  await bot.restart();
  expect(texts(await bot.say('halo??', who))).toEqual([t('pl', 'common.stillHere')]);
});
