import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fromRoot } from '../../core/paths';
import { fold } from '../../core/text';
import { FaqMatcher } from '../../knowledge/matcher';
import { DEFAULT_CLARIFY_THRESHOLD } from '../../knowledge/thresholds';

const LOCALES = ['en', 'id', 'pl', 'nb'] as const;

const entrySchema = z.strictObject({
  id: z.string(),
  topic: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  locale: z.enum(LOCALES),
  category: z.string().trim().min(1),
  questions: z.array(z.string().trim().min(1)).min(3).max(8),
  answer: z.string().trim().min(1),
  followUps: z.array(z.string()).max(2).optional(),
});
const kbSchema = z.strictObject({ entries: z.array(entrySchema) });

type Entry = z.infer<typeof entrySchema>;

const parsed = kbSchema.safeParse(JSON.parse(readFileSync(fromRoot('knowledge/demo/kb.json'), 'utf8')));
const entries: Entry[] = parsed.success ? parsed.data.entries : [];

const topicsOf = (locale: string): string[] =>
  entries
    .filter((e) => e.locale === locale)
    .map((e) => e.topic)
    .sort();

const linkTargets = (markdown: string): string[] =>
  [...markdown.matchAll(/\]\(([^)\s]*)\)/g)].map((m) => m[1] ?? '');

describe('demo knowledge base', () => {
  it('when loaded, then every entry has the expected fields, 3–8 questions and a non-empty answer', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('when the topics are counted, then there are at least 28', () => {
    expect(new Set(entries.map((e) => e.topic)).size).toBeGreaterThanOrEqual(28);
  });

  it.each(LOCALES)('when a topic exists, then it exists in %s too', (locale) => {
    const allTopics = [...new Set(entries.map((e) => e.topic))].sort();
    expect(topicsOf(locale)).toEqual(allTopics);
  });

  it('when ids are read, then each one is unique and equals locale-topic', () => {
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of entries) expect(e.id).toBe(`${e.locale}-${e.topic}`);
  });

  it('when answers are rendered, then they contain no HTML and no script or data links', () => {
    const unsafe = entries.filter((e) => /<[a-z!/]/i.test(e.answer) || /(javascript|data):/i.test(e.answer));
    expect(unsafe.map((e) => e.id)).toEqual([]);
  });

  it('when answers contain links, then they point to https://example.com only', () => {
    const foreign = entries.flatMap((e) =>
      linkTargets(e.answer)
        .filter((url) => !url.startsWith('https://example.com/'))
        .map((url) => `${e.id}: ${url}`),
    );
    expect(foreign).toEqual([]);
  });

  it('when an entry offers follow-ups, then each is another existing entry of the same locale', () => {
    const byId = new Map(entries.map((e) => [e.id, e]));
    const broken = entries.flatMap((e) =>
      (e.followUps ?? [])
        .filter((id) => id === e.id || byId.get(id)?.locale !== e.locale)
        .map((id) => `${e.id} → ${id}`),
    );
    expect(broken).toEqual([]);
  });

  it.each(LOCALES)('when questions of %s are folded, then none appears twice', (locale) => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const e of entries.filter((x) => x.locale === locale)) {
      for (const q of e.questions) {
        const key = fold(q);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, e.id);
        else duplicates.push(`"${q}" in ${first} and ${e.id}`);
      }
    }
    expect(duplicates).toEqual([]);
  });
});

describe('the demo knowledge base as customers write', () => {
  /** Typos, missing diacritics, inflected and colloquial forms: 5 per locale. */
  const questions: [string, string, string][] = [
    ['en', 'how do i resett my pasword for my acount', 'en-reset-password'],
    ['en', 'my internnet is not workng', 'en-no-internet'],
    ['en', 'cancelling my subscriptions', 'en-cancellation'],
    ['en', 'routers lights are blinking red', 'en-router-lights'],
    ['en', 'can I keep my numbr when switching', 'en-number-porting'],
    ['id', 'bagaimana cara membayar tagihannya', 'id-pay-bill'],
    ['id', 'internetnya lambat bangett', 'id-slow-internet'],
    ['id', 'cara mengaktifkan kartu SIM baruku', 'id-sim-activation'],
    ['id', 'sy lupa password wifi', 'id-wifi-password'],
    ['id', 'pindahan rumah, internetnya gimana', 'id-moving-house'],
    ['pl', 'jak zaplacic fakture', 'pl-pay-bill'],
    ['pl', 'zgubilem telefon co robic', 'pl-lost-phone'],
    ['pl', 'nie dziala mi internet', 'pl-no-internet'],
    ['pl', 'jak zrezygnowac z abonamentu', 'pl-cancellation'],
    ['pl', 'jak skonfigurowac routera', 'pl-router-setup'],
    ['nb', 'hvordan betaler jeg fakturaene', 'nb-pay-bill'],
    ['nb', 'jeg har mista mobilen min', 'nb-lost-phone'],
    ['nb', 'internettet virker ikke', 'nb-no-internet'],
    ['nb', 'hvordan sier jeg opp abonementet', 'nb-cancellation'],
    ['nb', 'hvordan bytter jeg wifi passordet', 'nb-wifi-password'],
  ];

  /** Changing a subscription is changing the plan, not cancelling it (a confident wrong answer before). */
  const changeOrCancel: [string, string, string][] = [
    ['en', 'how do I change my subscription?', 'en-change-plan'],
    ['en', 'I want to cancel my subscription', 'en-cancellation'],
    ['en', 'how do I cancel my contract', 'en-cancellation'],
    ['id', 'batal langganan', 'id-cancellation'],
    ['id', 'cara ganti langganan', 'id-change-plan'],
    ['id', 'mau berhenti langganan', 'id-cancellation'],
    ['pl', 'jak zmienić abonament', 'pl-change-plan'],
    ['pl', 'jak zrezygnować z abonamentu', 'pl-cancellation'],
    ['nb', 'Hvordan bytter jeg abonnement?', 'nb-change-plan'],
    ['nb', 'jeg vil si opp abonnementet', 'nb-cancellation'],
  ];

  it.each(changeOrCancel)('when a customer asks (%s) "%s", then the top entry is %s', (locale, text, id) => {
    const index = new FaqMatcher();
    index.rebuild(entries);
    const [top] = index.search(text, locale, 1);
    expect(top?.id).toBe(id);
    expect(top?.score).toBeGreaterThanOrEqual(DEFAULT_CLARIFY_THRESHOLD);
  });

  it('when customers write with typos and inflections on a fresh index, then at least 19 of 20 find their entry', () => {
    const index = new FaqMatcher();
    index.rebuild(entries);
    const missed = questions.filter(([locale, text, id]) => {
      const [top] = index.search(text, locale, 1);
      return top?.id !== id || top.score < DEFAULT_CLARIFY_THRESHOLD;
    });
    expect(missed.length).toBeLessThanOrEqual(1);
  });
});
