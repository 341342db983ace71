import { catalogLocales, messagesOf, t } from '../../locales';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('the message catalogs', () => {
  const reference = messagesOf('en');

  it('cover en, id, pl and nb', () => {
    expect(catalogLocales()).toEqual(expect.arrayContaining(['en', 'id', 'pl', 'nb']));
  });

  it.each(catalogLocales().filter((l) => l !== 'en'))(
    'when the locale is %s, then every key of en exists with the same placeholders and no extra keys',
    (locale) => {
      const messages = messagesOf(locale);
      expect([...messages.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [key, text] of reference) {
        expect({ key, placeholders: placeholders(messages.get(key) ?? '') }).toEqual({
          key,
          placeholders: placeholders(text),
        });
        expect({ key, empty: (messages.get(key) ?? '').trim() === '' }).toEqual({ key, empty: false });
      }
    },
  );

  it('fills placeholders', () => {
    expect(t('en', 'common.welcome', { botName: 'Ava' })).toContain('Ava');
    expect(t('pl', 'common.error', { ref: 'abc123' })).toContain('abc123');
  });
});
