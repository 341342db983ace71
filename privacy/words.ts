import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fromRoot } from '../core/paths';

/**
 * The privacy words of each locale, from `locales/<locale>/privacyWords.json` (data only):
 * - `erase`: whole-message requests that name no data ("forget me", "lupakan saya", "glem meg");
 * - `eraseVerbs`, `eraseObjects`: a request in a sentence has a deletion verb ("delete", "hapus", "usuńcie",
 *   "slett") and the customer's data ("my data", "everything you have on me", "data saya", "moje dane",
 *   "opplysningene mine"), or a deletion verb and a data-protection law (`eraseLaws`: "GDPR", "RODO", "UU PDP",
 *   "personvern"); `otherData`: phrases that hold an object but mean something else ("my data plan", "paket data
 *   saya"), which keep it from counting;
 * - `password`: words for a password or PIN; what follows them is redacted;
 * - `connectors`: short words between the password word and the password ("is", "adalah", "to", "er");
 * - `units`: what follows a number in a quantity, amount or ordinal ("5GHz", "200rb", "49zł", "3rd"): such a word
 *   is no password in a reply after a message about one.
 * Passwords are looked for with the words of every locale (customers mix languages: "password saya …").
 */
const phrases = z.array(z.string().trim().min(1)).min(1);
export const privacyWordsSchema = z.strictObject({
  erase: phrases,
  password: phrases,
  connectors: phrases,
  units: phrases,
  eraseVerbs: phrases,
  eraseObjects: phrases,
  otherData: phrases,
  eraseLaws: phrases,
});
export type PrivacyWords = z.infer<typeof privacyWordsSchema>;

let cache: ReadonlyMap<string, PrivacyWords> | undefined;
let sortedLocales: readonly string[] | undefined;

/** Reads and validates every locale's file; throws one error naming each bad file. */
export function loadPrivacyWords(dir: string = fromRoot('locales')): ReadonlyMap<string, PrivacyWords> {
  const words = new Map<string, PrivacyWords>();
  const problems: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name, 'privacyWords.json');
    if (!existsSync(file)) {
      problems.push(`${file}: missing`);
      continue;
    }
    const parsed = privacyWordsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) words.set(entry.name, parsed.data);
    else problems.push(...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
  }
  if (problems.length > 0) throw new Error(`Privacy words are invalid:\n- ${problems.join('\n- ')}`);
  return words;
}

function all(): ReadonlyMap<string, PrivacyWords> {
  cache ??= loadPrivacyWords();
  return cache;
}

/** The words of one locale (English when the locale has none). */
export function privacyWords(locale: string): PrivacyWords {
  const words = all().get(locale) ?? all().get('en');
  if (!words) throw new Error('locales/en/privacyWords.json is required');
  return words;
}

/** The locales with privacy words, sorted (every customer message asks: see erasureRequestLocale). */
export function privacyLocales(): readonly string[] {
  sortedLocales ??= [...all().keys()].sort();
  return sortedLocales;
}

/** Password words, connectors and units of every locale together, lower case. */
export function allPasswordWords(): { words: string[]; connectors: string[]; units: string[] } {
  const lists = [...all().values()];
  const lower = (items: string[]) => [...new Set(items.map((w) => w.toLowerCase()))];
  return {
    words: lower(lists.flatMap((w) => w.password)),
    connectors: lower(lists.flatMap((w) => w.connectors)),
    units: lower(lists.flatMap((w) => w.units)),
  };
}
