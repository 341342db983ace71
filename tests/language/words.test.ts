import { RATING_SCORES } from '../../feedback/types';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../core/paths';
import { fold } from '../../core/text';
import { baseLocale, loadLocaleWords, localeWords, supportedLocales, tokenize } from '../../language/words';
import { parseRating } from '../../language/ratingParser';

/** Every key path of a JSON value down to its lists and strings ("numbers.4", "complaint.strong"). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value)
    .flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
    .sort();
}

function lists(value: unknown, prefix = ''): [string, unknown[]][] {
  if (Array.isArray(value)) return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => lists(child, prefix ? `${prefix}.${key}` : key));
}

const raw = (locale: string): unknown =>
  JSON.parse(readFileSync(fromRoot('locales', locale, 'words.json'), 'utf8'));

describe('locale word files', () => {
  it('the four locales of the product are supported', () => {
    expect(supportedLocales()).toEqual(expect.arrayContaining(['en', 'id', 'pl', 'nb']));
  });

  it.each(supportedLocales().filter((l) => l !== 'en'))('%s has exactly the keys of en', (locale) => {
    expect(keyPaths(raw(locale))).toEqual(keyPaths(raw('en')));
  });

  it.each(supportedLocales())('every list of %s is non-empty and every phrase can be matched', (locale) => {
    const problems = lists(raw(locale)).flatMap(([key, list]) => [
      ...(list.length === 0 ? [`${key} is empty`] : []),
      ...list
        .filter((phrase) => typeof phrase !== 'string' || tokenize(phrase).flat().length === 0)
        .map((phrase) => `${key}: ${JSON.stringify(phrase)} has no words`),
    ]);
    expect(problems).toEqual([]);
  });

  it.each(supportedLocales())('in %s no phrase means both yes and no', (locale) => {
    const words = localeWords(locale);
    const no = new Set(words.no.map(fold));
    expect(words.yes.filter((p) => no.has(fold(p)))).toEqual([]);
  });

  it.each(supportedLocales())('in %s every rating button label reads as its own score', (locale) => {
    const { ratingScale } = localeWords(locale);
    expect(RATING_SCORES.map((score) => parseRating(ratingScale[score], locale))).toEqual([...RATING_SCORES]);
  });
});

describe('loading locale words', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'words-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (locale: string, content: string) => {
    mkdirSync(path.join(dir, locale), { recursive: true });
    writeFileSync(path.join(dir, locale, 'words.json'), content);
  };
  const en = readFileSync(fromRoot('locales', 'en', 'words.json'), 'utf8');

  it('when a new locale folder is added, then its words load without code changes', () => {
    write('en', en);
    write('xx', en);
    expect([...loadLocaleWords(dir).keys()]).toEqual(['en', 'xx']);
  });

  it('when a list is missing, then loading fails naming the file and the key', () => {
    write('en', en);
    const withoutYes = JSON.parse(en) as Record<string, unknown>;
    delete withoutYes.yes;
    write('pl', JSON.stringify(withoutYes));
    expect(() => loadLocaleWords(dir)).toThrow(/pl[/\\]words\.json: yes:/);
  });

  it('when a file is not JSON, then loading fails naming the file', () => {
    write('en', en);
    write('nb', '{ "yes": [');
    expect(() => loadLocaleWords(dir)).toThrow(/nb[/\\]words\.json: not valid JSON/);
  });

  it('when a locale folder has no words.json, then loading fails', () => {
    write('en', en);
    mkdirSync(path.join(dir, 'id'));
    expect(() => loadLocaleWords(dir)).toThrow(/id[/\\]words\.json: missing/);
  });

  it('when the fallback locale is missing, then loading fails', () => {
    write('pl', en);
    expect(() => loadLocaleWords(dir)).toThrow(/fallback locale is required/);
  });
});

describe('baseLocale', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN_gb', 'en'],
    ['id-ID', 'id'],
    ['in', 'id'],
    ['pl-PL', 'pl'],
    ['nb-NO', 'nb'],
    ['no', 'nb'],
    ['nn-NO', 'nb'],
    ['fr-FR', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('maps %p to %p', (tag, expected) => {
    expect(baseLocale(tag)).toBe(expected);
  });
});
