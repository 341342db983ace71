import { MAX_SUMMARY_CHARS } from '../../handoff/summary';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** A complaint sentence per language, repeated into a description longer than a summary may be. */
const complaints = {
  en: 'This is unacceptable, my internet connection has been dropping every evening for three weeks now!!! ',
  id: 'Saya sangat kecewa, koneksi internet saya terputus setiap malam selama tiga minggu terakhir!!! ',
  pl: 'To skandal, połączenie z internetem zrywa się każdego wieczoru od trzech tygodni!!! ',
  nb: 'Dette er helt uakseptabelt, internettforbindelsen faller ut hver kveld i tre uker nå!!! ',
} as const;
const locales = Object.keys(complaints) as Array<keyof typeof complaints>;

describe('a long description in the confirmation', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it.each(locales)(
    'when a %s customer describes the problem at length, then the confirmation cuts it at a word boundary with an ellipsis',
    async (locale) => {
      const customer = { locale, conversationId: `long-${locale}` };
      // Long enough to be cut, with a letter (inside a word) at the cut of the old code.
      let long = complaints[locale].repeat(Math.ceil(1500 / complaints[locale].length));
      while (
        /[\s!,]/.test(long.charAt(MAX_SUMMARY_CHARS)) ||
        /[\s!,]/.test(long.charAt(MAX_SUMMARY_CHARS - 1))
      )
        long = `x${long}`;
      await bot.say(long, customer);
      const [confirm] = texts(await bot.say(t(locale, 'common.skip'), customer));
      const shown = /\n\n> ([^\n]*)\n\n/.exec(confirm ?? '')?.[1] ?? '';
      expect(shown.endsWith('…')).toBe(true);
      expect(shown.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
      const kept = shown.slice(0, -1);
      expect(long.startsWith(kept)).toBe(true);
      // The cut ends a word: what follows it in the description is not a letter.
      expect(long.charAt(kept.length)).toMatch(/[^\p{L}]/u);
      expect(kept.length).toBeGreaterThan(MAX_SUMMARY_CHARS - 60);
    },
  );
});
