import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { erasureRequestLocale } from '../../bots/privacyGuard';

/**
 * Which messages ask to delete the customer's data: the old whole-message phrases, and requests in a sentence (a
 * deletion verb and "my data" / "everything about me", or a data-protection law named with a deletion verb), as
 * customers type them (informal, often without diacritics). Usage questions about deleting other data do not.
 */
describe('a request to delete the customer’s data', () => {
  it.each([
    ['en', 'delete my data'],
    ['en', 'forget me please'],
    ['id', 'lupakan saya'],
    ['pl', 'zapomnij o mnie'],
    ['nb', 'glem meg'],
    ['en', 'please delete all my data, i dont want you to keep anything'],
    ['en', 'gdpr request: erase everything you have on me'],
    ['en', 'can you remove my personal data pls'],
    ['en', 'I want you to delete everything you know about me'],
    ['pl', 'chce zeby usuneli moje dane osobowe (RODO)'],
    ['pl', 'prosze usunac moje dane'],
    ['pl', 'RODO - usuncie wszystko co macie o mnie'],
    ['pl', 'usuńcie moje dane osobowe'],
    ['id', 'tolong hapus semua data saya'],
    ['id', 'min hapusin data pribadi aku ya'],
    ['id', 'sesuai UU PDP tolong hapus data saya'],
    ['nb', 'slett alle opplysningene mine'],
    ['nb', 'kan dere slette alt dere har om meg?'],
    ['nb', 'personvern: jeg vil at dere sletter dataene mine'],
  ])('when a %s customer writes "%s", then it is a request', (locale, text) => {
    expect(erasureRequestLocale(text, locale)).toBe(locale);
  });

  it('when the turn is in another language than the request, then the request is still seen', () => {
    expect(erasureRequestLocale('tolong hapus semua data saya', 'en')).toBe('id');
  });

  const notRequests: Array<[string, string]> = [
    ['en', 'how do I delete my browsing data on the router?'],
    ['en', 'how much data do I have left'],
    ['en', 'I want to remove my data plan add-on'],
    ['en', 'please dont delete my data'],
    ['en', 'dont forget me when the router ships'],
    ['en', 'where is my data usage shown?'],
    ['en', 'delete the old invoices from my account'],
    ['pl', 'jak usunąć dane z telefonu?'],
    ['pl', 'jak usunac historie z aplikacji'],
    ['pl', 'nie usuwajcie moich danych'],
    ['id', 'hapus data aplikasi gimana'],
    ['id', 'cara hapus paket data saya'],
    ['id', 'kuota data saya habis'],
    ['nb', 'hvordan sletter jeg data på telefonen?'],
    ['nb', 'hvor mye data har jeg igjen'],
    ['nb', 'ikke slett dataene mine'],
  ];
  it(`when ${notRequests.length} usage questions or refusals are written, then none is a request`, () => {
    expect(notRequests.filter(([locale, text]) => erasureRequestLocale(text, locale))).toEqual([]);
  });

  it('when the messages and usage questions of the understanding sets are read, then only those asking how to delete their own data are requests', () => {
    const dir = path.join(__dirname, '../fixtures/understanding');
    const locales = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const messages = locales.flatMap(({ name: locale }) =>
      ['message.jsonl', 'usage.jsonl'].flatMap((file) =>
        readFileSync(path.join(dir, locale, file), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { text: string; locale: string }),
      ),
    );
    expect(messages.length).toBeGreaterThanOrEqual(1000);
    // Measured: 4 of 1686, each about the customer's own data with us, which no FAQ entry answers: the
    // confirmation ("Do you want me to delete all data we keep about you …?") tells them, and "no" keeps it.
    expect(messages.filter((m) => erasureRequestLocale(m.text, m.locale)).map((m) => m.text)).toEqual([
      'how do i delete my personal data',
      'gimana cara hapus data pribadi saya',
      'kan dere slette dataene mine?',
      'czy da sie usunac moje dane osobowe?',
    ]);
  });
});
