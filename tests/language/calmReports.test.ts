import { testUnderstanding } from '../helpers/understanding';

/**
 * A fault named and nothing more ("treg", "not working", words.json `calmReports`) is a calm report for the
 * knowledge base, not a complaint, however the model leans (since the seventeenth session's negative reviews it
 * read "wolny", "treg", "lemot" and "not working" as complaints at 0.51–0.66). With anger, blame or repetition
 * the same words still make a complaint.
 */
type Case = [locale: string, text: string];

const BARE_FAULTS: Case[] = [
  ['en', 'not working'],
  ['en', 'slow'],
  ['en', 'still offline please'],
  ['id', 'lemot'],
  ['id', 'gangguan'],
  ['pl', 'wolny'],
  ['pl', 'nie działa'],
  ['nb', 'treg'],
  ['nb', 'funker ikke'],
];

const ANGRY_FAULTS: Case[] = [
  ['en', 'NOT WORKING AGAIN!!!'],
  ['en', 'so slow, useless company 😡'],
  ['id', 'lemot parah, kecewa banget!!'],
  ['pl', 'znowu nie działa, mam dość!!!'],
  ['nb', 'treg igjen, helt elendig!!'],
];

describe('a fault named and nothing more', () => {
  const understanding = testUnderstanding();

  it.each(BARE_FAULTS)('reads the %s "%s" as no complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('other');
  });

  it.each(ANGRY_FAULTS)('reads the %s "%s", with anger, as a complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('complaint');
  });
});
