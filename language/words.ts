import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BoundedMap } from '../core/boundedMap';
import { fromRoot } from '../core/paths';
import { fold } from '../core/text';
import { RATING_SCORES, type Score } from '../feedback/types';

/**
 * What the bot understands of short customer replies, from `locales/<locale>/words.json` (data only: a new
 * locale is a new folder). Every comparison goes through `fold()`, so case and diacritics never matter
 * ("Dziekuje" == "dziękuję") and apostrophes are dropped ("thats all" == "that's all").
 *
 * Matching rules (tokens are letter/digit runs and emoji; `,.!?;:` split a message into clauses):
 * - Commands and answers (`isYes`, `isNo`, `isHelp`, `isCancel`, `isClosing`, `choiceNumber`) are whole-message
 *   matches: the message must be made entirely of phrases of that list plus the locale's `filler` words
 *   (please, hi, kak, dong, proszę, takk …), with at least one phrase of the list. So "no thanks" is no, while
 *   "no internet" is not; "thanks, but my router is broken" is not closing. `isClosing` also accepts yes/no words
 *   around a closing phrase ("ok thanks, bye", "no thanks, that's it").
 * - Requests inside a sentence (`isHumanRequest`, `isNotHelpful`): a phrase of two or more words matches
 *   anywhere in a message of up to {@link SHORT_MESSAGE_TOKENS} tokens (any length for `isHumanRequest`); a
 *   single-word phrase ("agent",
 *   "konsultant") only in a message of up to {@link SINGLE_WORD_MESSAGE_TOKENS} tokens, so "my travel agent
 *   booked the wrong date" is not a request for a human.
 * - `isHumanRequest` ignores a phrase negated just before it in the same clause: a `negation` word within
 *   {@link NEGATION_WINDOW} tokens ("I don't want to talk to a human", "nie chcę rozmawiać z konsultantem").
 *   A comma ends the clause, so "No, I want an agent" is still a request.
 */

/** Longest message (in tokens) in which a multi-word phrase is looked for. */
export const SHORT_MESSAGE_TOKENS = 20;
/** Longest message (in tokens) in which a single-word phrase ("agent", "manusia") is looked for. */
export const SINGLE_WORD_MESSAGE_TOKENS = 4;
/** How many tokens before a phrase a negation word cancels it. */
export const NEGATION_WINDOW = 4;
/** The locale used when a tag maps to nothing supported. */
export const FALLBACK_LOCALE = 'en';

const phrases = z.array(z.string().trim().min(1)).min(1);
const perScore = <T extends z.ZodType>(value: T) =>
  z.strictObject({ '1': value, '2': value, '3': value, '4': value, '5': value });
const optionalPerScore = <T extends z.ZodType>(value: T) =>
  z.strictObject({
    '1': value.optional(),
    '2': value.optional(),
    '3': value.optional(),
    '4': value.optional(),
    '5': value.optional(),
  });

/** The shape of `locales/<locale>/words.json`. */
export const localeWordsSchema = z.strictObject({
  /** Answers meaning yes / no. */
  yes: phrases,
  /**
   * The yes phrases that only acknowledge ("ok", "oke", "okej", "greit"; each one also in `yes`): in a goodbye, no
   * yes to the offer of a person, nor to a single "did you mean" suggestion before a thanks for the help
   * (`acknowledgesOnly`).
   */
  okay: phrases,
  no: phrases,
  /**
   * "None of these" at "did you mean" choices ("neither", "none of them", "żadna", "ingen av dem", "gak ada yg
   * cocok"), the same as its button (`isNoneOfThese`). Kept out of `no`, which trains the yes/no model: "none" or
   * "neither" answers no yes/no question.
   */
  noneOfThese: phrases,
  /**
   * Saying "send it" at the hand-over's "Shall I send it?" ("send it", "go ahead", "kirim aja", "wysyłaj", "bare
   * send", "kjør på"): a yes there when it makes up the reply's first clause (`asksToSend`: "send det, ingenting
   * funker"). Kept out of `yes`, which trains the yes/no model.
   */
  send: phrases,
  /**
   * Saying the customer will see to it themselves ("i'll figure it out myself", "saya coba sendiri dulu", "sam sobie
   * poradzę", "jeg fikser det selv"), in words of intent, never of what was tried ("i tried to fix it myself"): at the
   * hand-over's "Shall I send it?" a no, not more detail to pass on. No training example.
   */
  doItMyself: phrases,
  /**
   * Asking why the bot wants what it asks for ("why do you need", "buat apa", "po co wam", "hvorfor trenger dere"): a
   * question about the step, not one to pass on to staff with the request (the contact step). No training example.
   */
  whyAsked: phrases,
  /** Number words 1–5, including the forms used for ratings (czwórka, firer). */
  numbers: perScore(phrases),
  /** Ordinals 1–5 ("second", "kedua", "drugie", "andre"): a choice by its place in a list. */
  ordinals: perScore(phrases),
  /** Words around a choice by place ("the … one", "option", "nr", "yang", "pilihan", "to", "opcja", "den", "nummer"). */
  choiceFiller: phrases,
  /** Numbers out of the 1–5 scale ("six", "szóstka", "sekser", "nol"): a rating that names one gives no score. */
  outOfScale: phrases,
  /** Thanks, goodbye, that's all: the customer ends the episode. */
  closing: phrases,
  /** Explicit requests for a person. */
  human: phrases,
  /**
   * Asking to be called back ("call me back", "telpon saya", "zadzwońcie do mnie", "ring meg"): a request for a
   * person like `human` in the router's phrase rule, but no training example of one, because complaints say it too
   * ("you promised to call me back") and everyday messages call other people ("call my mom").
   */
  callBack: phrases,
  /** Commands. */
  help: phrases,
  cancel: phrases,
  /** "That did not help", "not what I asked". */
  notHelpful: phrases,
  /**
   * Complaint and anger words; a strong one alone makes a complaint (language/cues.ts). Swearing ("wtf", "kurwa",
   * "faen", "anjir") is strong, and unlike the other strong words it counts in a question too ("wtf is this
   * bill??"; but "how do I file a complaint?" is a question).
   */
  complaint: z.strictObject({
    strong: phrases,
    mild: phrases,
    swearing: phrases,
    /**
     * Verdicts that count like strong words ("unusable") but, unlike them, are no training example of a complaint:
     * a one-word example moves the model's reading of unrelated messages ("what is the worst case delivery time"
     * became a complaint when "unusable" was a strong word).
     */
    verdicts: phrases,
  }),
  /** Labels of the 1–5 rating buttons. */
  ratingScale: perScore(z.string().trim().min(1)),
  /** Whole-message phrases that mean a score ("excellent" → 5); conservative. */
  ratingPhrases: optionalPerScore(phrases),
  /** Phrases that correct a rating just given ("actually", "make that", "jednak", "ralat", "endre til"). */
  ratingCorrection: phrases,
  /**
   * "4 out of 5" connectors, "4 stars" units, `modifiers` that grade a score without changing it ("a solid 4",
   * "mocna czwórka", "trzy z plusem", "en sterk firer"), `counts`: words next to a number that make it a quantity
   * or a reference, no score ("20 minutes", "2 pytania", "30 menit", "nummer 4"), `articles`: number words
   * that also are articles or pronouns ("one", "satu", "jedno", "en"), a score only alone or marked, and `instead`:
   * words that give another score after a negated one ("not 5 but 4", "not 5 maybe 4", "ikke 5 men 4").
   */
  ratingForms: z.strictObject({
    outOf: phrases,
    stars: phrases,
    modifiers: phrases,
    counts: phrases,
    articles: phrases,
    instead: phrases,
  }),
  /** Politeness and address words that may surround a command ("please", "kak", "mate", "proszę", "takk"). */
  filler: phrases,
  /** Greetings and small talk that open a conversation ("hi", "good morning", "selamat pagi", "dzień dobry"). */
  greeting: phrases,
  /** Questions about the bot itself ("are you a bot?", "kamu siapa", "czy jesteś botem", "er du en robot"). */
  aboutBot: phrases,
  /** Declining what a step asks for, besides the skip button and no ("rather not", "gak mau kasih", "wolę nie"). */
  skip: phrases,
  /**
   * Words of praise and satisfaction ("great", "mantap", "świetnie", "kjempebra"): a feature of the message
   * classifier, so praise in words no training example used still leans away from a complaint (language/features.ts).
   */
  praise: phrases,
  /** Words that negate a following phrase ("not", "tidak", "nie", "ikke"). */
  negation: phrases,
  /**
   * A fault named and nothing more ("slow", "not working", "lemot", "nie działa", "treg"): said alone (with filler
   * words), a calm report for the knowledge base, never a complaint by the model alone (anger cues still count).
   */
  calmReports: phrases,
  /**
   * Faults of what a customer has or pays ("wrong", "charged twice", "salah", "gak sesuai", "błędna", "jest zła",
   * "feil", "stemmer ikke"): with `calmReports`, what makes a reply at the rating step a new problem rather than a
   * rating or a comment (dialogs/feedbackDialog.ts). No training example, so the message model reads nothing new.
   */
  faults: phrases,
  /**
   * A problem denied ("no problem at all", "tidak ada masalah kok", "nie ma problemu", "ingen problemer i det hele
   * tatt"): said alone (with filler words), never a complaint by the model alone (anger cues still count).
   */
  noProblem: phrases,
  /**
   * The company's people as customers name them ("agent", "support guy", "cs", "konsultant", "kundebehandler"): in a
   * clause that praises them ("great agent", "cs nya mantap", "flink kundebehandler") the message model reads the
   * message without them, so praise of a person is no request for one.
   */
  staff: phrases,
  /**
   * Words that praise a person ("patient", "sabar", "przemiła", "pomógł", "kjempehyggelig"), besides `praise`: with
   * it, what makes a clause praise its `staff` ("the agent was so patient" asks for no one). Unlike `praise`, no
   * feature of the message classifier, so a word added here changes nothing else the model reads.
   */
  staffPraise: phrases,
  /**
   * Words of speed, which praise ("cs nya cepet", "quick and friendly") and urge alike ("admin tolong cepet", "agent
   * quick"): never what makes a clause praise its `staff`.
   */
  urgency: phrases,
  /**
   * Words that make a clause ask for something ("want", "would", "please", "mau", "minta", "chcę", "byłby", "vil",
   * "gi meg"): a clause with one praises no one, it asks for the person ("an agent would be great", "saya mau cs yang
   * ramah").
   */
  wanting: phrases,
  /**
   * Saying the customer will do as the answer says ("will do", "skal bli", "zrobię tak", "nanti saya coba"): with a
   * thanks or a goodbye, part of the goodbye (`isClosing`); no training example, so alone it reads as the model says.
   */
  acknowledgements: phrases,
  /**
   * What a thanks is for when the help is over ("for the help", "atas bantuannya", "za pomoc", "for hjelpa"): next to
   * a thanks, part of the goodbye (`isClosing`), and an `okay` before it is no yes ("ok thanks for the help" to a
   * single "did you mean" suggestion leaves; `thanksForHelpGiven`). No training example.
   */
  helpGiven: phrases,
  /**
   * Time-of-day wishes ("selamat siang", "good evening", "god kveld"), which greet and take leave alike: after thanks
   * or a goodbye, part of the goodbye ("makasih, selamat siang"); opening the message, not ("selamat pagi, terima
   * kasih" greets and thanks in advance).
   */
  wishes: phrases,
  /**
   * Words that start a question ("how", "why", "gimana", "kenapa", "jak", "czemu", "hvordan", "hvorfor"): a
   * question is never a goodbye, and a calm one (no anger cue) is a complaint only when the classifier is very
   * sure (anger words, "!!!", shouting and angry emoji are cues).
   */
  questionStarts: phrases,
  /** Words that may come before a question start in its clause ("but", "tapi", "ale", "men"). */
  questionLeads: phrases,
  /**
   * Words that end a question ("toko nya dimana kak", "harganya berapa", "ada promo gak", "zamykacie o której", "you
   * close when"): a message that asks nothing at its start but ends a clause (filler words aside) with one of these
   * asks all the same (`asksAtEnd`).
   */
  questionEnds: phrases,
  /**
   * Words that join two questions in one sentence ("how do I change my plan and where is my bill?": "and", "dan",
   * "terus", "oraz", "og", "samt"), where knowledge/splitQuestions.ts may split a message; matched as written.
   */
  questionJoints: phrases,
  /**
   * A lukewarm answer to "did this help?" ("so so", "sort of", "lumayan", "oke lah", "średnio", "nie do końca", "sånn
   * passe", "tja"): said alone, with filler and yes words ("yeah kind of", "ya lumayan sih"), it helped in part
   * (`helpedInPart`): never a yes, nor a goodbye. Kept out of `yes`, `no` and `notHelpful`, which train the models.
   */
  partly: phrases,
  /**
   * Asking for help in so many words ("i need help", "mohon bantuannya", "potrzebuję pomocy", "trenger hjelp"): said
   * alone, with filler and `help` words, the help command like `help` (`isHelp`). No training example ("mohon
   * bantuannya" in `help` moved the model's reading of unrelated complaints).
   */
  helpPleas: phrases,
  /**
   * Impatience with the company's people ("so slow", "taking forever", "lama bgt", "tyle czekam", "tar evigheter"):
   * near one of them (`staff`), a complaint about waiting for a person (`impatientWithStaff`); no training example.
   */
  impatience: phrases,
});
export type LocaleWords = z.infer<typeof localeWordsSchema>;

/**
 * Reads and validates `words.json` of every locale folder under `dir`. Throws one error listing every broken,
 * missing or invalid file, so a bad edit stops the app at start instead of confusing customers later.
 */
export function loadLocaleWords(dir: string = fromRoot('locales')): ReadonlyMap<string, LocaleWords> {
  const problems: string[] = [];
  const words = new Map<string, LocaleWords>();
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  for (const locale of folders) {
    const file = path.join(dir, locale, 'words.json');
    if (!existsSync(file)) {
      problems.push(`${file}: missing`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const parsed = localeWordsSchema.safeParse(json);
    if (parsed.success) words.set(locale.toLowerCase(), parsed.data);
    else
      problems.push(
        ...parsed.error.issues.map(
          (issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        ),
      );
  }
  if (!folders.includes(FALLBACK_LOCALE))
    problems.push(`${path.join(dir, FALLBACK_LOCALE, 'words.json')}: the fallback locale is required`);
  if (problems.length > 0) throw new Error(`Locale words are invalid:\n- ${problems.join('\n- ')}`);
  return words;
}

let cache: ReadonlyMap<string, LocaleWords> | undefined;
function allWords(): ReadonlyMap<string, LocaleWords> {
  cache ??= loadLocaleWords();
  return cache;
}

let supported: readonly string[] | undefined;
/** The locales with a words.json, sorted. The first call loads and validates every file. */
export function supportedLocales(): readonly string[] {
  supported ??= [...allWords().keys()];
  return supported;
}

/** BCP-47 codes that name a supported language under another code. */
const ALIASES: Readonly<Record<string, string>> = { no: 'nb', nn: 'nb', in: 'id' };

/**
 * Maps a BCP-47 tag to a supported locale: the exact tag, then its language (nb-NO → nb, en-US → en), then a
 * legacy or sibling code (no, nn → nb; in → id), then the fallback `en`.
 */
export function baseLocale(tag: string | undefined): string {
  if (tag === undefined) return resolveLocale(tag);
  let locale = resolvedLocales.get(tag);
  if (locale === undefined) {
    locale = resolveLocale(tag);
    resolvedLocales.set(tag, locale);
  }
  return locale;
}

/** The tags {@link baseLocale} has mapped (a turn maps the same few tags many times; tags come from clients). */
const resolvedLocales = new BoundedMap<string, string>(1000);

function resolveLocale(tag: string | undefined): string {
  const supported = allWords();
  if (tag !== undefined && supported.has(tag)) return tag;
  const normalised = (tag ?? '').trim().toLowerCase().replace(/_/g, '-');
  const language = normalised.split('-')[0] ?? '';
  for (const candidate of [normalised, language, ALIASES[language]]) {
    if (candidate && supported.has(candidate)) return candidate;
  }
  return FALLBACK_LOCALE;
}

/** The supported locale a BCP-47 tag names, or undefined (baseLocale itself falls back to English). */
export function knownLocale(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const locale = baseLocale(tag);
  return locale !== FALLBACK_LOCALE || /^en\b/i.test(tag) ? locale : undefined;
}

/**
 * The words of a locale (any BCP-47 tag, resolved with {@link baseLocale}). A supported locale's own code, what
 * the bot passes on every turn, is one map lookup (a turn asks for several locales: the erasure request is
 * looked for in all of them).
 */
export function localeWords(locale: string): LocaleWords {
  const all = allWords();
  const words = all.get(locale) ?? all.get(baseLocale(locale));
  if (!words) throw new Error(`No words for locale ${locale}`);
  return words;
}

const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}|\//gu;
/** Where a message's clauses end: runs of `.,!?;:…`, parentheses and line breaks (global: for matchAll). */
const CLAUSE_BREAK = /[.,!?;:…()\n]+/g;

/**
 * The clause breaks of a message, in order, with where each starts (`index`) and what it is: the breaks
 * {@link tokenize} splits clauses at, for code that needs the clauses as spans of the text as written.
 */
export function clauseBreaks(text: string): ReturnType<string['matchAll']> {
  return text.matchAll(CLAUSE_BREAK);
}

/** Where a clause of a message starts and ends, and where the next one starts (after the break). */
export interface ClauseSpan {
  start: number;
  end: number;
  after: number;
}

/** The clauses of a message as spans of the text as written (split where {@link tokenize} splits them). */
export function clauseSpans(text: string): ClauseSpan[] {
  const found: ClauseSpan[] = [];
  let start = 0;
  for (const m of clauseBreaks(text)) {
    found.push({ start, end: m.index, after: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  found.push({ start, end: text.length, after: text.length });
  return found;
}

/**
 * Folds and splits text into clauses of tokens (letter/digit runs, emoji and "/"); apostrophes are dropped.
 * A turn asks several questions of one message (help? cancel? closing? a person? a complaint?), and turns of
 * other conversations run in between: the clauses and tokens of the last {@link RECENT_MESSAGES} messages are
 * kept for them (read-only).
 */
export function tokenize(text: string): readonly (readonly string[])[] {
  return remember(text).clauses;
}

/** The tokens of the whole message, clause breaks ignored (cached like {@link tokenize}). */
function messageTokens(text: string): readonly string[] {
  return remember(text).tokens;
}

interface Tokenized {
  clauses: readonly (readonly string[])[];
  tokens: readonly string[];
}
const RECENT_MESSAGES = 64;
/** Longer texts are split every time: rare, and 64 of them could hold much memory. */
const MAX_REMEMBERED_CHARS = 2000;
const recent = new BoundedMap<string, Tokenized>(RECENT_MESSAGES);

function remember(text: string): Tokenized {
  let tokenized = recent.get(text);
  if (!tokenized) {
    const clauses = split(text);
    tokenized = { clauses, tokens: clauses.flat() };
    if (text.length <= MAX_REMEMBERED_CHARS) recent.set(text, tokenized);
  }
  return tokenized;
}

/**
 * Folds and splits text into clauses of tokens (apostrophes dropped, emoji kept as tokens); `token` says what a
 * token is (by default letter/digit runs, emoji and "/").
 */
export function split(text: string, token: RegExp = TOKEN): string[][] {
  return fold(text)
    .replace(/['’ʼ`]/g, '')
    .replace(/\p{Emoji_Modifier}|\uFE0F/gu, '')
    .split(CLAUSE_BREAK)
    .map((clause) => clause.match(token) ?? [])
    .filter((clause) => clause.length > 0);
}

interface Phrase {
  /** As written in the list. */
  text: string;
  tokens: readonly string[];
}
/**
 * A list of phrases by their first token, each bucket longest first (list order among equals). Matching at a
 * position then only tries the phrases that start with the token there, with the same outcome as trying the
 * whole list longest first.
 */
type PhraseIndex = ReadonlyMap<string, readonly Phrase[]>;
const compiled = new WeakMap<readonly string[], PhraseIndex>();
const NO_PHRASES: readonly Phrase[] = [];

/** A list of phrases as token sequences without duplicates, indexed by first token (cached per list). */
function compile(list: readonly string[]): PhraseIndex {
  let index = compiled.get(list);
  if (!index) {
    const byFirst = new Map<string, Phrase[]>();
    const seen = new Set<string>();
    for (const text of list) {
      // split, not tokenize: compiling a list must not evict the cached tokens of messages.
      const tokens = split(text).flat();
      const [first] = tokens;
      const key = tokens.join(' ');
      if (first === undefined || seen.has(key)) continue;
      seen.add(key);
      const bucket = byFirst.get(first);
      if (bucket) bucket.push({ text, tokens });
      else byFirst.set(first, [{ text, tokens }]);
    }
    // A stable sort: phrases of equal length stay in list order.
    for (const bucket of byFirst.values()) bucket.sort((x, y) => y.tokens.length - x.tokens.length);
    index = byFirst;
    compiled.set(list, index);
  }
  return index;
}

/** The phrases of `index` that start with the token at `at`, longest first. */
function startingAt(index: PhraseIndex, tokens: readonly string[], at: number): readonly Phrase[] {
  const token = tokens[at];
  return (token !== undefined && index.get(token)) || NO_PHRASES;
}

/** Whether a phrase from {@link startingAt} (so its first token already matches) continues in `tokens`. */
function matchesAt(tokens: readonly string[], at: number, phrase: Phrase): boolean {
  const words = phrase.tokens;
  if (at + words.length > tokens.length) return false;
  for (let k = 1; k < words.length; k += 1) if (tokens[at + k] !== words[k]) return false;
  return true;
}

/** Whether a clause starts with a question word, possibly after a lead ("how …", "but why …", "tapi kenapa …"). */
export function opensQuestion(clause: readonly string[], words: LocaleWords): boolean {
  const lead = phraseHits(clause, words.questionLeads).find((hit) => hit.start === 0);
  return phraseHits(clause, words.questionStarts).some((hit) => hit.start === (lead?.end ?? 0));
}

export interface PhraseHit {
  /** The phrase as written in the list. */
  phrase: string;
  /** Token positions in the clause: [start, end). */
  start: number;
  end: number;
}

/** Occurrences of phrases in one clause, leftmost-longest and not overlapping. */
export function phraseHits(clause: readonly string[], list: readonly string[]): PhraseHit[] {
  const index = compile(list);
  const hits: PhraseHit[] = [];
  for (let at = 0; at < clause.length;) {
    const found = longestAt(index, clause, at);
    if (found) {
      hits.push({ phrase: found.text, start: at, end: at + found.tokens.length });
      at += found.tokens.length;
    } else at += 1;
  }
  return hits;
}

/** The longest phrase of `index` at `at` (the first in list order among equals). */
function longestAt(index: PhraseIndex, tokens: readonly string[], at: number): Phrase | undefined {
  for (const phrase of startingAt(index, tokens, at)) if (matchesAt(tokens, at, phrase)) return phrase;
  return undefined;
}

function isNegated(clause: readonly string[], hit: PhraseHit, negation: readonly string[]): boolean {
  return phraseHits(clause, negation).some((n) => n.end <= hit.start && n.end >= hit.start - NEGATION_WINDOW);
}

/**
 * The phrases of `list` found in `text` on token boundaries, leaving out those negated just before them in the
 * same clause (see the module comment). No length limit: callers decide what a long message means.
 */
export function phrasesIn(text: string, list: readonly string[], locale: string): string[] {
  const { negation } = localeWords(locale);
  const found = new Set<string>();
  for (const clause of tokenize(text)) {
    for (const hit of phraseHits(clause, list)) if (!isNegated(clause, hit, negation)) found.add(hit.phrase);
  }
  return [...found];
}

/** A word as written: letters and digits with the apostrophes inside it ("don't"), an emoji, or "/". */
const WRITTEN_WORD = /[\p{L}\p{N}]+(?:['’ʼ`][\p{L}\p{N}]+)*|\p{Extended_Pictographic}|\//gu;

/**
 * `text` without the words `unread` picks in each clause (spans of the clause's folded tokens, in order and not
 * overlapping, as {@link phraseHits} gives them), and otherwise as written: case, punctuation, emoji and the other
 * words stay.
 */
export function withoutWords(
  text: string,
  unread: (clause: readonly string[]) => readonly PhraseHit[],
): string {
  let kept = '';
  let from = 0;
  for (const span of clauseSpans(text)) {
    const written = [...text.slice(span.start, span.end).matchAll(WRITTEN_WORD)];
    const clause = written.map((word) => split(word[0]).flat().join(''));
    for (const hit of unread(clause)) {
      const first = written[hit.start];
      const last = written[hit.end - 1];
      if (!first || !last) continue;
      kept += text.slice(from, span.start + first.index);
      from = span.start + last.index + last[0].length;
      while (text[from] === ' ') from += 1;
    }
  }
  return (kept + text.slice(from)).trim();
}

/** How many tokens may come between a word of praise and whom it praises ("the support guy was really helpful"). */
export const PRAISE_WINDOW = 3;
const ownedLists = new WeakMap<
  LocaleWords,
  Map<'praise' | 'staffPraise' | 'wishes', { all: string[]; own: ReadonlySet<string> }>
>();

/**
 * The hits in `tokens` of the phrases of the `own` list, matched leftmost-longest together with the `before` lists,
 * whose phrases win: a word of praise or a wish that is part of a goodbye or a greeting ("have a nice day", "good
 * morning") is no hit. The joined lists are kept per locale.
 */
function ownHits(
  tokens: readonly string[],
  words: LocaleWords,
  own: 'praise' | 'staffPraise' | 'wishes',
  before: readonly (readonly string[])[],
): PhraseHit[] {
  let cached = ownedLists.get(words);
  if (!cached) {
    cached = new Map();
    ownedLists.set(words, cached);
  }
  let lists = cached.get(own);
  if (!lists) {
    const taken = new Set(before.flat());
    lists = { all: [...before.flat(), ...words[own]], own: new Set(words[own].filter((p) => !taken.has(p))) };
    cached.set(own, lists);
  }
  const { own: owned } = lists;
  return phraseHits(tokens, lists.all).filter((hit) => owned.has(hit.phrase));
}

/**
 * The people of the company a clause praises: its `staff` phrases with a word of praise at most
 * {@link PRAISE_WINDOW} tokens before or after them ("great agent", "cs nya mantap", "konsultant był bardzo
 * pomocny"; not the manager in "the agent was nice but i need to talk to a manager"). Words of praise are those of
 * the `praise` and `staffPraise` lists, not negated, that are no part of a goodbye or a greeting ("thanks", "have a nice day", "good
 * morning" praise no one) nor words of `urgency` ("admin tolong cepet" asks for a person). None in a clause that
 * asks for something (a `wanting` word: "an agent would be great", "i want a nice agent").
 */
export function praisedStaff(clause: readonly string[], words: LocaleWords): PhraseHit[] {
  if (phraseHits(clause, words.wanting).length > 0) return [];
  const before = [words.closing, words.greeting, words.urgency];
  const praised = [
    ...ownHits(clause, words, 'praise', before),
    ...ownHits(clause, words, 'staffPraise', before),
  ].filter((hit) => !isNegated(clause, hit, words.negation));
  return phraseHits(clause, words.staff).filter((person) =>
    praised.some((hit) => hit.start - person.end <= PRAISE_WINDOW && person.start - hit.end <= PRAISE_WINDOW),
  );
}

/**
 * True when the message is made entirely of phrases from `intent` and `extras`, with at least one from
 * `intent` (a small dynamic programme over token positions; a phrase in both lists counts as intent).
 */
export function isCoveredBy(
  text: string,
  intent: readonly string[],
  extras: readonly (readonly string[])[],
): boolean {
  const tokens = messageTokens(text);
  if (tokens.length === 0 || tokens.length > SHORT_MESSAGE_TOKENS) return false;
  const wanted = compile(intent);
  // reached[i]: undefined = position i not reachable; false/true = reachable without/with an intent phrase.
  const reached: (boolean | undefined)[] = [false];
  for (let at = 0; at < tokens.length; at += 1) {
    const before = reached[at];
    if (before === undefined) continue;
    reach(reached, tokens, at, startingAt(wanted, tokens, at), true);
    for (const list of extras) reach(reached, tokens, at, startingAt(compile(list), tokens, at), before);
  }
  return reached[tokens.length] === true;
}

/** Marks the ends of the `phrases` that match at reachable `at`; `withIntent`: the path then has an intent phrase. */
function reach(
  reached: (boolean | undefined)[],
  tokens: readonly string[],
  at: number,
  phrases: readonly Phrase[],
  withIntent: boolean,
): void {
  for (const phrase of phrases) {
    if (!matchesAt(tokens, at, phrase)) continue;
    const end = at + phrase.tokens.length;
    reached[end] = reached[end] === true || withIntent;
  }
}

/** Whole message of the list plus filler words. */
function isWholeMessage(text: string, locale: string, pick: (w: LocaleWords) => readonly string[]): boolean {
  const words = localeWords(locale);
  return isCoveredBy(text, pick(words), [words.filler]);
}

/**
 * A phrase within a message of up to `maxTokens` tokens (single words only in very short ones), optionally
 * negation-aware.
 */
function isWithinShortMessage(
  text: string,
  list: readonly string[],
  negation?: readonly string[],
  maxTokens = SHORT_MESSAGE_TOKENS,
): boolean {
  const clauses = tokenize(text);
  const length = clauses.reduce((sum, clause) => sum + clause.length, 0);
  if (length > maxTokens) return false;
  return clauses.some((clause) =>
    phraseHits(clause, list).some(
      (hit) =>
        (hit.end - hit.start > 1 || length <= SINGLE_WORD_MESSAGE_TOKENS) &&
        !(negation && isNegated(clause, hit, negation)),
    ),
  );
}

export const isYes = (text: string, locale: string): boolean => isWholeMessage(text, locale, (w) => w.yes);
/**
 * The message's first clause says "send it" (`send`), with filler and yes words only ("kirim aja kak", "send it pls,
 * nothing works", "proszę wysłać, bo nic nie działa"); not "please do not send it yet" nor "i'll do it myself".
 */
export function asksToSend(text: string, locale: string): boolean {
  const words = localeWords(locale);
  const [first] = tokenize(text);
  return first !== undefined && isCoveredBy(first.join(' '), words.send, [words.filler, words.yes]);
}
/**
 * The yes phrases of the message, not negated and not part of a longer goodbye phrase ("makasih ya", "see ya",
 * "udah cukup", "ha det fint": thanks and goodbyes that hold a yes word).
 */
function yesPhrases(text: string, locale: string): string[] {
  const { yes, closing, negation } = localeWords(locale);
  return tokenize(text).flatMap((clause) => {
    const goodbyes = phraseHits(clause, closing);
    return phraseHits(clause, yes)
      .filter(
        (hit) =>
          !isNegated(clause, hit, negation) &&
          !goodbyes.some(
            (g) => g.start <= hit.start && g.end >= hit.end && g.end - g.start > hit.end - hit.start,
          ),
      )
      .map((hit) => hit.phrase);
  });
}

/** A yes phrase anywhere in the message ("yes please, thanks"; not the "ya" of "makasih ya"). */
export const saysYes = (text: string, locale: string): boolean => yesPhrases(text, locale).length > 0;
/** Where a clause ends, ignoring trailing emoji and filler words ("fire takk 🙂" ends after "fire"). */
export function clauseEnd(clause: readonly string[], filler: readonly string[]): number {
  let end = clause.length;
  for (;;) {
    const trailingFiller = phraseHits(clause.slice(0, end), filler).find((hit) => hit.end === end);
    if (trailingFiller) end = trailingFiller.start;
    else if (end > 0 && /\p{Extended_Pictographic}/u.test(clause[end - 1] ?? '')) end -= 1;
    else return end;
  }
}

/**
 * A clause that ends with a question word (`questionEnds`, filler words aside: "toko nya dimana kak", "ada promo
 * iphone gak", "zamykacie o której"): the message asks, though no question word opens it and it has no "?".
 */
export function asksAtEnd(text: string, locale: string): boolean {
  const { questionEnds, filler } = localeWords(locale);
  return tokenize(text).some((clause) => {
    const end = clauseEnd(clause, filler);
    return phraseHits(clause.slice(0, end), questionEnds).some((hit) => hit.end === end && hit.start > 0);
  });
}

/** A request for something: a `wanting` phrase, not negated ("I want a new phone", "tell me a joke", "ceritain dong"). */
export const asksFor = (text: string, locale: string): boolean =>
  phrasesIn(text, localeWords(locale).wanting, locale).length > 0;

/** Thanks for the help given ("… for the help", "… atas bantuannya", "… za pomoc", "… for hjelpa"). */
export const thanksForHelpGiven = (text: string, locale: string): boolean =>
  phrasesIn(text, localeWords(locale).helpGiven, locale).length > 0;

/** Every yes phrase in the text (if any) only acknowledges (`okay`: "ok", "oke", "okej", "greit"; not "yes please"). */
export function acknowledgesOnly(text: string, locale: string): boolean {
  const okay = new Set(localeWords(locale).okay.map(fold));
  return yesPhrases(text, locale).every((phrase) => okay.has(fold(phrase)));
}
export const isNo = (text: string, locale: string): boolean => isWholeMessage(text, locale, (w) => w.no);
/** Only "none of these" in words, with no and filler words around it ("nope, none of those", "nei, ingen av disse"). */
export function isNoneOfThese(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return isCoveredBy(text, words.noneOfThese, [words.no, words.filler]);
}
/** Only the help command or a plea for help ("help", "help me", "mohon bantuannya kak", "i need help"). */
export function isHelp(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return (
    isWholeMessage(text, locale, (w) => w.help) ||
    isCoveredBy(text, words.helpPleas, [words.filler, words.help])
  );
}
/**
 * Only a lukewarm answer (`partly`: "so so", "yeah kind of", "lumayan sih", "tak sobie", "tja"), with filler and yes
 * words: the answer helped in part.
 */
export function helpedInPart(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return isCoveredBy(text, words.partly, [words.filler, words.yes]);
}
export const isCancel = (text: string, locale: string): boolean =>
  isWholeMessage(text, locale, (w) => w.cancel);
/** Only a greeting ("hi", "halo kak, selamat pagi", "dzień dobry"): the bot greets back and asks what it can do. */
export const isGreeting = (text: string, locale: string): boolean =>
  isWholeMessage(text, locale, (w) => w.greeting);
/** Only a question about the bot itself ("are you a bot?"): the bot says what it is and how to reach a person. */
export const isAboutBot = (text: string, locale: string): boolean =>
  isWholeMessage(text, locale, (w) => w.aboutBot);

/**
 * Thanks / goodbye / that's all, possibly with yes or no words, a "will do", what the thanks is for or a time-of-day
 * wish around it ("no thanks, that's it", "will do, thanks bye", "thanks for the help", "makasih, selamat siang"),
 * but not a closing phrase negated in its clause ("nie pomogło", "det hjalp ikke": it did not help), nor one a wish
 * comes before ("selamat pagi, terima kasih": a greeting, with thanks in advance).
 */
export function isClosing(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return (
    isCoveredBy(text, words.closing, [
      words.filler,
      words.yes,
      words.no,
      words.acknowledgements,
      words.helpGiven,
      words.wishes,
    ]) &&
    !hasNegatedClosing(text, words) &&
    !opensWithWish(text, words)
  );
}

/** A time-of-day wish comes before the first goodbye phrase ("selamat pagi, terima kasih"): it greets. */
function opensWithWish(text: string, words: LocaleWords): boolean {
  const tokens = messageTokens(text);
  const [wish] = ownHits(tokens, words, 'wishes', [words.closing]);
  const [goodbye] = phraseHits(tokens, words.closing);
  return wish !== undefined && (goodbye === undefined || wish.start < goodbye.start);
}

/**
 * A closing phrase with a negation word right before or after it in its clause ("nie pomogło", "ikke alt i orden",
 * "det hjalp ikke"), unless the two together are a phrase of `no` or `closing` ("nie dziękuję": no, thank you).
 */
function hasNegatedClosing(text: string, words: LocaleWords): boolean {
  return tokenize(text).some((clause) => {
    const negations = phraseHits(clause, words.negation);
    const whole = phraseHits(clause, [...words.no, ...words.closing]);
    return phraseHits(clause, words.closing).some((hit) =>
      negations.some(
        (negation) =>
          (negation.end === hit.start || negation.start === hit.end) &&
          !whole.some(
            (w) => w.start <= Math.min(negation.start, hit.start) && w.end >= Math.max(negation.end, hit.end),
          ),
      ),
    );
  });
}

/**
 * An explicit, not negated request for a person ("can I talk to a real person?", "mau ke CS kak"); a phrase of
 * two or more words counts in a message of any length ("… anyway i need to speak with a representative about
 * my bill because …").
 */
export function isHumanRequest(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return isWithinShortMessage(text, words.human, words.negation, Infinity) || isCallBackRequest(text, locale);
}

/** How many tokens may come between a person of the company and the impatience with them ("cs nya mana sih lama bgt"). */
export const IMPATIENCE_WINDOW = 3;

/**
 * Impatience with the company's people: an `impatience` phrase, not negated, at most {@link IMPATIENCE_WINDOW} tokens
 * before or after a `staff` phrase, clause breaks aside ("cs nya mana sih lama bgt", "where is the support guy ugh so
 * slow", "gdzie ten konsultant tyle czekam", "hvor er kundeservice, det tar evigheter").
 */
export function impatientWithStaff(text: string, locale: string): boolean {
  const words = localeWords(locale);
  const people: PhraseHit[] = [];
  const impatience: PhraseHit[] = [];
  let offset = 0;
  for (const clause of tokenize(text)) {
    const shift = (hit: PhraseHit) => ({ ...hit, start: hit.start + offset, end: hit.end + offset });
    people.push(...phraseHits(clause, words.staff).map(shift));
    impatience.push(
      ...phraseHits(clause, words.impatience)
        .filter((hit) => !isNegated(clause, hit, words.negation))
        .map(shift),
    );
    offset += clause.length;
  }
  return people.some((person) =>
    impatience.some(
      (hit) => hit.start - person.end <= IMPATIENCE_WINDOW && person.start - hit.end <= IMPATIENCE_WINDOW,
    ),
  );
}

/** An explicit, not negated request to be called or contacted ("yes pls call me", "hubungi saya", "ring meg"). */
export function isCallBackRequest(text: string, locale: string): boolean {
  return isWithinShortMessage(text, localeWords(locale).callBack, localeWords(locale).negation, Infinity);
}

/** Words (besides "human", "did not help" and filler words) a message needs to describe the customer's need. */
export const MIN_SUMMARY_WORDS = 4;

/**
 * True when the text describes a need: at least MIN_SUMMARY_WORDS words that are not part of "talk to a
 * human", "that did not help" or filler ("I want to talk to a human" says nothing; "my router keeps
 * restarting since Monday" does).
 */
export function saysEnough(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return wordsBesides(text, [...words.human, ...words.notHelpful, ...words.filler]) >= MIN_SUMMARY_WORDS;
}

/** How many words of `text` are no word of the `noise` phrases. */
export function wordsBesides(text: string, noise: readonly string[]): number {
  // split, not tokenize: the phrases must not evict the messages' cached tokens.
  const skipped = new Set(noise.flatMap((phrase) => split(phrase).flat()));
  return tokenize(text)
    .flat()
    .filter((token) => !skipped.has(token)).length;
}

/**
 * What a message says besides asking for a person: without its clauses that only ask for one ("my card was
 * charged twice, I want a human" gives "my card was charged twice"); empty when the whole message only asks
 * ("I want to talk to a human", "mau bicara dengan CS"). A request that says what it is about in its own clause
 * ("I want to talk to a human about my bill") is kept whole.
 */
export function besidesPersonRequest(text: string, locale: string): string {
  const { human } = localeWords(locale);
  const onlyAsks = (part: string) => phrasesIn(part, human, locale).length > 0 && !saysEnough(part, locale);
  if (onlyAsks(text)) return '';
  return clauseSpans(text)
    .filter(({ start, end }) => !onlyAsks(text.slice(start, end)))
    .map(({ start, after }) => text.slice(start, after))
    .join('')
    .replace(/[\s,;:–-]+$/u, '')
    .trim();
}

/** The message is wholly a person phrase of the locale ("human", "human please", "agen dong"). */
export function isHumanCommand(text: string, locale: string): boolean {
  const words = localeWords(locale);
  return isCoveredBy(text, words.human, [words.filler]);
}

/** "That did not help", "not what I asked" (the phrases carry their own negation). */
export function isNotHelpful(text: string, locale: string): boolean {
  return isWithinShortMessage(text, localeWords(locale).notHelpful);
}

/**
 * The customer declines what was asked (a comment, a contact): the step's skip button (`skipLabel`) or a `skip`
 * phrase of the locale ("skip", "rather not", "lewati", "gak mau kasih", "wolę nie", "hopp over"), with filler
 * words; no, never mind / cancel, or a goodbye.
 */
export function isSkip(text: string, locale: string, skipLabel: string): boolean {
  const { filler, skip } = localeWords(locale);
  return (
    isCoveredBy(text, [skipLabel, ...skip], [filler]) ||
    isNo(text, locale) ||
    isCancel(text, locale) ||
    isClosing(text, locale)
  );
}

/**
 * A place in a list of choices, said in words: an ordinal or number, in words or digits, with the locale's choice
 * words around it ("the second one", "yang kedua", "to drugie", "den andre", "nr 2", "option 2"); else null.
 */
export function choiceNumber(text: string, locale: string): Score | null {
  const words = localeWords(locale);
  const matches = RATING_SCORES.filter((n) =>
    isCoveredBy(
      text,
      [...words.ordinals[n], ...words.numbers[n], String(n)],
      [words.choiceFiller, words.filler],
    ),
  );
  return matches.length === 1 ? (matches[0] ?? null) : null;
}
