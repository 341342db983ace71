import type { Score } from '../feedback/types';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { fromRoot } from '../core/paths';
import { Classifier, type Example } from './classifier';
import { COMPLAINT_ANGER_THRESHOLD, CUE_WEIGHTS, detectFrustration } from './cues';
import { parseRating } from './ratingParser';
import {
  type LocaleWords,
  isAboutBot,
  isCancel,
  isClosing,
  isCoveredBy,
  isGreeting,
  isHelp,
  isHumanCommand,
  isHumanRequest,
  impatientWithStaff,
  isNo,
  isNotHelpful,
  isYes,
  loadLocaleWords,
  localeWords,
  opensQuestion,
  phraseHits,
  phrasesIn,
  praisedStaff,
  supportedLocales,
  tokenize,
  baseLocale,
  withoutWords,
} from './words';

/**
 * Understanding of customer messages, per locale: what a message asks the router for, whether a reply to a
 * yes/no question means yes or no, and which 1–5 score a typed rating gives.
 *
 * Built once at start ({@link Understanding.load}) from the training examples in
 * `locales/<lang>/understanding/{message,confirm}.jsonl` plus the phrase lists of `words.json` (each phrase is
 * one more example of its class), and injected into the dialogs. {@link Understanding.learn} adds
 * a labelled example at run time (e.g. an admin's label from a review list) and retrains that locale's model
 * of that task at once: deterministic, tens of milliseconds; the next message is read by the new model.
 *
 * Decisions (see README "How understanding works"): high-precision phrase lists first (a whole-message "help",
 * "cancel", goodbye, yes/no; an explicit request for a person; a strong complaint word), then the classifier,
 * whose label counts only at or above its class's threshold (else `other` / null: the bot asks rather than
 * guesses).
 */
export const MESSAGE_LABELS = ['complaint', 'human', 'closing', 'help', 'cancel', 'other'] as const;
export type MessageLabel = (typeof MESSAGE_LABELS)[number];
export const CONFIRM_LABELS = ['yes', 'no', 'other'] as const;
export type ConfirmLabel = (typeof CONFIRM_LABELS)[number];

/** Minimum classifier probability for a label other than `other` (below it the message counts as `other`). */
export const MESSAGE_THRESHOLDS: Readonly<Record<Exclude<MessageLabel, 'other'>, number>> = {
  complaint: 0.5,
  human: 0.45,
  closing: 0.55,
  help: 0.6,
  cancel: 0.6,
};
/** A yes/no reply counts when its probability reaches this and the opposite answer's stays below {@link CONFIRM_OPPOSITE_MAX}. */
export const CONFIRM_THRESHOLD = 0.6;
export const CONFIRM_OPPOSITE_MAX = 0.3;
/** The probability a message made only of words never seen in training needs ("iyap", "he'em", "hmmm"). */
export const UNKNOWN_WORDS = 0.9;

export interface MessageReading {
  label: MessageLabel;
  /** 0–1: the classifier's probability of the label (1 for a phrase-list match). */
  confidence: number;
  /** Why: "phrase:help", "phrase:complaint:<word>", "model:complaint 0.81" … */
  reasons: string[];
  /**
   * The classifier's most probable label, when it was asked, also where the reading is another ("so annoying":
   * complaint 0.47, under the complaint threshold): a step that expects a reaction may weigh it (isComplaintReply).
   */
  leaning?: MessageLabel;
}

export interface ConfirmReading {
  /** null: not an answer the bot can read (ask again). */
  answer: 'yes' | 'no' | null;
  confidence: number;
  reasons: string[];
}

/** A labelled example added at run time. */
export type Lesson =
  | { task: 'message'; locale: string; text: string; label: MessageLabel }
  | { task: 'confirm'; locale: string; text: string; label: ConfirmLabel }
  | { task: 'rating'; locale: string; text: string; label: Score | null };

/** Training examples of one locale. */
interface LocaleExamples {
  message: Example<MessageLabel>[];
  confirm: Example<ConfirmLabel>[];
}

interface LocaleModels {
  message: Classifier<MessageLabel>;
  confirm: Classifier<ConfirmLabel>;
}
const TASKS = ['message', 'confirm'] as const;

const messageLine = z.object({ text: z.string().min(1), label: z.enum(MESSAGE_LABELS) });
const confirmLine = z.object({ text: z.string().min(1), label: z.enum(CONFIRM_LABELS) });

export class Understanding {
  private readonly models = new Map<string, Partial<LocaleModels>>();
  /**
   * The lessons by task, locale and {@link lessonKey}: a message an admin labelled is read as labelled from the
   * next message on (before the phrase lists and the model), whatever the model makes of it.
   */
  private readonly taught = new Map<string, Lesson>();
  /** Milliseconds the training at start took (all locales, both models). */
  readonly trainingMillis: number;

  private constructor(
    private readonly examples: Map<string, LocaleExamples>,
    lessons: readonly Lesson[],
    eager: boolean,
  ) {
    for (const lesson of lessons) {
      if (!examples.has(baseLocale(lesson.locale)))
        throw new Error(`No understanding data for locale ${lesson.locale}`);
      this.taught.set(taughtKey(lesson.task, lesson.text, lesson.locale), lesson);
    }
    const started = performance.now();
    if (eager) {
      for (const locale of examples.keys()) for (const task of TASKS) this.model(locale, task);
    }
    this.trainingMillis = performance.now() - started;
  }

  /**
   * Reads every locale's training files under `dir` (default `locales/`) and trains all models. Throws, listing
   * every bad line, when a file is broken (the app then stops at start, like a bad words.json).
   */
  static load(
    options: {
      dir?: string;
      lessons?: readonly Lesson[];
      /** Train each model when first used instead of at once (one-off tools such as the eval command). */
      lazy?: boolean;
    } = {},
  ): Understanding {
    const dir = options.dir ?? fromRoot('locales');
    const examples = new Map<string, LocaleExamples>();
    const problems: string[] = [];
    for (const [locale, words] of loadLocaleWords(dir)) {
      const folder = path.join(dir, locale, 'understanding');
      examples.set(locale, {
        message: [
          ...messageFiles(folder).flatMap((file) => readLines(file, messageLine, problems)),
          ...phraseExamples(words),
        ],
        confirm: [
          ...readLines(path.join(folder, 'confirm.jsonl'), confirmLine, problems),
          ...words.yes.map((text) => ({ text, label: 'yes' as const })),
          ...words.no.map((text) => ({ text, label: 'no' as const })),
          ...words.notHelpful.map((text) => ({ text, label: 'no' as const })),
        ],
      });
    }
    if (problems.length > 0) throw new Error(`Understanding data is invalid:\n- ${problems.join('\n- ')}`);
    return new Understanding(examples, options.lessons ?? [], options.lazy !== true);
  }

  /**
   * What the router acts on for a message (as the first message of a new conversation): a complaint, a
   * request for a person, a goodbye, help, cancel, or `other` (a question for the knowledge base).
   */
  message(text: string, locale: string): MessageReading {
    const taught = this.lesson('message', text, locale);
    const label = MESSAGE_LABELS.find((l) => l === taught);
    if (label) return { label, confidence: 1, reasons: ['lesson'] };
    if (isHelp(text, locale)) return phrase('help');
    if (isCancel(text, locale)) return phrase('cancel');
    if (isClosing(text, locale)) return phrase('closing');
    // A request for a person made wholly in another supported language's words ("human", the word the English
    // texts name, in a Polish chat; "agen" in a Norwegian one), as a goodbye in another language is one.
    if (supportedLocales().some((other) => other !== locale && isHumanCommand(text, other)))
      return phrase('human');
    const words = localeWords(locale);
    // A skip ("hopp over", "lewati", "pomiń": what the optional steps' button says) asks for nothing, whatever the
    // model makes of its words ("over", as in "sett meg over til en person").
    if (isCoveredBy(text, words.skip, [words.filler]))
      return { label: 'other', confidence: 1, reasons: ['phrase:skip'] };
    // Only a greeting or politeness ("hi", "halo kak", "dzień dobry", "please"): not a goodbye. The router
    // greets back (isGreeting).
    if (isGreeting(text, locale) || isCoveredBy(text, words.filler, []))
      return { label: 'other', confidence: 1, reasons: ['phrase:greeting'] };
    // "Are you a bot?", "kamu siapa": the router says what the bot is (isAboutBot), not a request for help.
    if (isAboutBot(text, locale)) return { label: 'other', confidence: 1, reasons: ['phrase:about-bot'] };
    // No word and no emoji ("3", "?!", "12:30"): nothing to complain or ask for a person with.
    if (!/[\p{L}\p{Extended_Pictographic}]/u.test(text))
      return { label: 'other', confidence: 1, reasons: ['no words'] };
    const read = readable(text, locale);
    const model = this.model(locale, 'message').classify(read);
    const reading = { ...this.decide(read, locale, model), leaning: model.label };
    if (reading.label !== 'other') return reading;
    return (
      this.insultAndPerson(text, locale, reading) ?? impatientForPerson(text, locale, reading) ?? reading
    );
  }

  /**
   * A message the whole of which reads as nothing to act on, one clause of which is a complaint and another a
   * request for a person ("bot goblok, mana admin nya", "parah bgt botnya, mana cs"): each clause read alone is
   * clear where the two together confuse the model. It is the complaint: the hand-over apologises, then fetches
   * the person asked for (a calm request gets no apology).
   */
  private insultAndPerson(text: string, locale: string, whole: MessageReading): MessageReading | undefined {
    const clauses = tokenize(text);
    if (clauses.length < 2 || clauses.length > INSULT_AND_PERSON_CLAUSES) return undefined;
    const alone = clauses.map((clause) => this.message(clause.join(' '), locale));
    const complaint = alone.find((reading) => reading.label === 'complaint');
    if (!complaint || !alone.some((reading) => reading.label === 'human')) return undefined;
    return {
      ...complaint,
      leaning: whole.leaning,
      reasons: [...whole.reasons, 'clauses: a complaint and a person asked for'],
    };
  }

  /** message() once the classifier has read the text. */
  private decide(
    text: string,
    locale: string,
    model: ReturnType<Classifier<MessageLabel>['classify']>,
  ): MessageReading {
    const reasons = [`model:${model.label} ${model.probability.toFixed(2)}`];
    // A bare yes is no request for a person ("yes please", "tak, proszę": 0.47 and 0.87), whatever it answers.
    if (model.label === 'human' && isYes(text, locale))
      return otherReading(model.probabilities.other, [...reasons, 'phrase:yes'], 'model');
    const question = isQuestion(text, locale);
    // Phrase lists overrule the model unless it is sure the message is an ordinary question.
    const listed = model.probabilities.other < (question ? PHRASES_OVERRULED : STATEMENT_PHRASES_OVERRULED);
    if (listed && isHumanRequest(text, locale)) return phrase('human', reasons);
    const cues = detectFrustration(text, locale);
    if (cues.onlyUpset) return phrase('complaint', [...cues.reasons, ...reasons]);
    const strong = cues.reasons.filter((r) => r.startsWith('strong:') || r.startsWith('swearing:'));
    const wantsPerson = model.label === 'human' && model.probability >= MESSAGE_THRESHOLDS.human;
    // Thanks and praise with a swear word for emphasis ("faen så bra, takk!", "anjir cepet bgt paketnya nyampe"):
    // the model's reading of the whole message stands. Other strong words still count ("dzięki za nic").
    const praising =
      model.label === 'closing' &&
      model.probability >= MESSAGE_THRESHOLDS.closing &&
      strong.every((reason) => reason.startsWith('swearing:'));
    // In a question a strong word counts only when the model is as sure as for any calm question ("what is the
    // worst case delivery time"), or when it is swearing ("wtf is this bill??").
    const strongCounts =
      !question || cues.swearing || model.probabilities.complaint >= CALM_QUESTION_COMPLAINT;
    // Swearing counts however sure the model is of an ordinary question ("wtf is this bill??": other 0.62).
    if ((listed || cues.swearing) && strong.length > 0 && !wantsPerson && !praising && strongCounts)
      return phrase('complaint', [...strong, ...reasons]);
    if (model.label === 'other') return otherReading(model.probabilities.other, reasons, 'model');
    // A fault named and nothing more ("treg", "not working", also said to someone: "gangguan kak", whose "kak" ends
    // most Indonesian thanks of the training data) is a calm report, however the model leans; a problem denied
    // ("ingen problemer i det hele tatt") is no complaint.
    if (isCalmReport(text, locale, cues.anger))
      return otherReading(model.probabilities.other, reasons, 'calm report');
    if (
      model.label === 'complaint' &&
      cues.anger < COMPLAINT_ANGER_THRESHOLD &&
      isCoveredBy(text, localeWords(locale).noProblem, [localeWords(locale).filler])
    )
      return otherReading(model.probabilities.other, reasons, 'no problem');
    // A complaint that also asks for a person is a request for a person (both reach a person); together they
    // must reach the complaint threshold ("i want to transfer money from my other bank" is neither).
    if (
      model.label === 'complaint' &&
      model.probabilities.human >= COMPLAINT_WITH_PERSON &&
      model.probabilities.complaint + model.probabilities.human >= MESSAGE_THRESHOLDS.complaint
    )
      return {
        label: 'human',
        confidence: model.probabilities.human,
        reasons: [...reasons, 'complaint asking for a person'],
      };
    if (model.probability < MESSAGE_THRESHOLDS[model.label])
      return otherReading(model.probabilities.other, reasons, 'below threshold');
    if (model.knownWords === 0 && model.probability < UNKNOWN_WORDS)
      return otherReading(model.probabilities.other, reasons, 'unknown words');
    // One word that is no phrase for a person ("agent", "manusia") needs the model surer: it takes the small
    // words of such requests for them ("en", as in "snakke med en person", 0.51; "representitive" 0.62).
    if (model.label === 'human' && model.probability < ONE_WORD_HUMAN && tokenize(text).flat().length === 1)
      return otherReading(model.probabilities.other, reasons, 'one word');
    if (model.label === 'closing' && this.asksBesidesLeaving(text, locale))
      return otherReading(model.probabilities.other, reasons, 'question');
    // Thanks that say the answer did not help ("thanks but that didn't help", "makasih tapi ga ngebantu", "takk men
    // det hjalp ikke") take no leave: the customer still has the problem.
    if (model.label === 'closing' && isNotHelpful(text, locale))
      return otherReading(model.probabilities.other, reasons, 'not helped');
    if (
      model.label === 'complaint' &&
      question &&
      cues.anger - strong.length * CUE_WEIGHTS.strong < COMPLAINT_ANGER_THRESHOLD &&
      model.probability < CALM_QUESTION_COMPLAINT
    )
      return otherReading(model.probabilities.other, reasons, 'calm question');
    return { label: model.label, confidence: model.probability, reasons };
  }

  /**
   * Whether a goodbye also asks something: a question mark, or a clause that opens like a question ("thanks, but
   * how do I change my plan"). A modal verb opens questions and leave-takings alike ("muszę podać PESEL" and
   * "muszę już lecieć", "må jeg betale" and "må løpe", "will you …" and "will do"): in a message of several
   * clauses, a clause that read alone is a goodbye asks nothing ("muszę już lecieć, dzięki"; "will do, thank you
   * so much", whose "will do" is a goodbye phrase). A message of one clause has no other words to go by ("recommend
   * a true crime podcast" is a request, whatever the model makes of it).
   */
  private asksBesidesLeaving(text: string, locale: string): boolean {
    if (text.includes('?')) return true;
    const words = localeWords(locale);
    const model = this.model(locale, 'message');
    const clauses = tokenize(text);
    return clauses.some((clause) => {
      if (!opensQuestion(clause, words)) return false;
      if (clauses.length === 1) return true;
      if (isClosing(clause.join(' '), locale)) return false;
      const alone = model.classify(clause.join(' '));
      return alone.label !== 'closing' || alone.probability < MESSAGE_THRESHOLDS.closing;
    });
  }

  /** A reply to a yes/no question ("Did this answer your question?"): yes, no, or null when unsure. */
  confirm(text: string, locale: string): ConfirmReading {
    const taught = this.lesson('confirm', text, locale);
    if (taught === 'yes' || taught === 'no') return { answer: taught, confidence: 1, reasons: ['lesson'] };
    if (taught === 'other') return { answer: null, confidence: 1, reasons: ['lesson'] };
    // A reply that is wholly a no phrase is no, even when its words are yes words too (the resigned "ya udah deh",
    // "yaudah": oh well, never mind).
    if (isNo(text, locale)) return { answer: 'no', confidence: 1, reasons: ['phrase:no'] };
    if (isYes(text, locale)) return { answer: 'yes', confidence: 1, reasons: ['phrase:yes'] };
    if (isNotHelpful(text, locale)) return { answer: 'no', confidence: 1, reasons: ['phrase:not-helpful'] };
    if (startsWithNegatedYes(text, locale))
      return { answer: 'yes', confidence: 1, reasons: ['phrase:yes-with-negation'] };
    // A question is not an answer ("is it free?", "CS buka hari minggu gak?"): the bot asks again.
    if (isQuestion(text, locale)) return { answer: null, confidence: 1, reasons: ['question'] };
    const model = this.model(locale, 'confirm').classify(text);
    const { yes, no } = model.probabilities;
    const reasons = [`model:yes ${yes.toFixed(2)} no ${no.toFixed(2)}`];
    // No word of the reply was ever seen in training: the model would only be guessing.
    if (model.knownWords === 0)
      return { answer: null, confidence: 0, reasons: [...reasons, 'unknown words'] };
    if (yes >= CONFIRM_THRESHOLD && no < CONFIRM_OPPOSITE_MAX) {
      // A fault named is no yes ("lemot kak": the "kak" of "iya kak" made it one); the reply is routed as a report.
      if (isCalmReport(text, locale, detectFrustration(text, locale).anger))
        return { answer: null, confidence: model.probabilities.other, reasons: [...reasons, 'calm report'] };
      return { answer: 'yes', confidence: yes, reasons };
    }
    if (no >= CONFIRM_THRESHOLD && yes < CONFIRM_OPPOSITE_MAX)
      return { answer: 'no', confidence: no, reasons };
    return { answer: null, confidence: model.probabilities.other, reasons };
  }

  /**
   * How many of the message's words (or their stems) the locale's customer messages hold: what the language guess
   * reads besides function words (knowledge/languageGuess.ts).
   */
  knownWords(text: string, locale: string): number {
    // Each known word counts twice, as a word and as a stem (language/features.ts).
    return Math.ceil(this.model(baseLocale(locale), 'message').classify(text).knownWords / 2);
  }

  /**
   * A typed 1–5 rating, or null when the message gives none (language/ratingParser.ts); `numberTypos`: a number
   * word misspelt by one letter counts (at the rating step; not where the message may be something else).
   */
  rating(text: string, locale: string, numberTypos = true): Score | null {
    const taught = this.lesson('rating', text, locale);
    if (taught === null || typeof taught === 'number') return taught;
    return parseRating(text, locale, numberTypos);
  }

  /**
   * A correction of a rating just given ("actually make that 5", "jednak 4", "ralat, 5", "endre til 4"): a
   * correction phrase of the locale (words.json `ratingCorrection`) and a score; else null.
   */
  ratingCorrection(text: string, locale: string): Score | null {
    const phrases = localeWords(locale).ratingCorrection;
    if (phrasesIn(text, phrases, locale).length === 0) return null;
    // The score is read without the phrase: in "zmień na 5" the "na 5" is no scale ("4 na 5").
    const rest = tokenize(text).map((clause) => {
      const hits = phraseHits(clause, phrases);
      return clause.filter((_token, at) => !hits.some((hit) => at >= hit.start && at < hit.end)).join(' ');
    });
    return this.rating(rest.join(', '), locale);
  }

  /**
   * Teaches a label an admin gave (the latest for these words replaces an earlier one): the words are read as
   * labelled, and the example joins the locale's training data (the model of the task is retrained at once);
   * from the next message on. Nothing happens when the words are taught that label already.
   */
  learn(lesson: Lesson): void {
    const key = taughtKey(lesson.task, lesson.text, lesson.locale);
    if (this.taught.get(key)?.label === lesson.label) return;
    this.taught.set(key, lesson);
    this.retrain(lesson);
  }

  /** Takes back what {@link learn} taught for these words (an admin's undo); nothing when nothing was. */
  unlearn(lesson: Pick<Lesson, 'task' | 'locale' | 'text'>): void {
    if (this.taught.delete(taughtKey(lesson.task, lesson.text, lesson.locale))) this.retrain(lesson);
  }

  /** Trains the locale's model of the task again, with the lessons as they are now (if it was trained). */
  private retrain({ task, locale }: Pick<Lesson, 'task' | 'locale'>): void {
    if (task === 'rating') return;
    const trained = this.models.get(baseLocale(locale));
    if (trained?.[task]) {
      delete trained[task];
      this.model(locale, task);
    }
  }

  /** The label taught for this text (null: taught as "no rating"), or undefined when none was. */
  private lesson(task: Lesson['task'], text: string, locale: string): Lesson['label'] | undefined {
    if (this.taught.size === 0) return undefined;
    return this.taught.get(taughtKey(task, text, locale))?.label;
  }

  /** The locale's model of the task, trained now if it is not yet. */
  private model<T extends keyof LocaleModels>(locale: string, task: T): LocaleModels[T] {
    const resolved = baseLocale(locale);
    const trained = this.models.get(resolved) ?? {};
    this.models.set(resolved, trained);
    const existing = trained[task];
    if (existing) return existing;
    const examples = this.examples.get(resolved);
    if (!examples) throw new Error(`No understanding data for locale ${locale}`);
    // What admins taught joins the data files' examples.
    const taught = [...this.taught.values()].filter((lesson) => baseLocale(lesson.locale) === resolved);
    const model = (
      task === 'message'
        ? Classifier.train(
            [...examples.message, ...taught.flatMap((lesson) => (lesson.task === 'message' ? [lesson] : []))],
            MESSAGE_LABELS,
            resolved,
          )
        : Classifier.train(
            [...examples.confirm, ...taught.flatMap((lesson) => (lesson.task === 'confirm' ? [lesson] : []))],
            CONFIRM_LABELS,
            resolved,
          )
    ) as LocaleModels[T];
    trained[task] = model;
    return model;
  }
}

/**
 * At or above this probability of `other`, the phrase lists of a person ("a human") and of strong complaint
 * words ("the worst") do not count: "is there a human-readable invoice?", "what is the worst case delivery time".
 * 0.55 since the praise and review examples (0.5 before): by 5-fold cross-validation on the training data, person
 * recall en 0.935 → 0.948, id 0.937 → 0.943, pl and nb unchanged, with no calm message more read as one.
 */
export const PHRASES_OVERRULED = 0.55;
/**
 * In a message that is not a question, the phrase lists of a person and of strong complaint words count up to this
 * probability of `other`: a long request for a person is mostly words of its topic ("my transfer never arrived, i
 * need to talk to a bank employee"), and a plain statement of a complaint reads like a usage question to the model
 * ("chcę złożyć reklamację" 0.51, "i would like to make a complaint" 0.65; 0.74 for "chciałbym złożyć skargę" since
 * the everyday off-topic examples, when this bar went from 0.7 to 0.8, chosen by 5-fold cross-validation on the
 * training data). In a question {@link PHRASES_OVERRULED} applies ("is there a human-readable invoice?", "how do I
 * file a complaint?").
 */
export const STATEMENT_PHRASES_OVERRULED = 0.8;
/** A complaint whose probability of a request for a person reaches this is taken as one. */
export const COMPLAINT_WITH_PERSON = 0.25;
/**
 * A calm question is a complaint only from this probability on ("why do you charge me twice?", "what is the worst
 * case delivery time", "how long does a complaint take?"). Calm: the anger cues other than strong words (which in a
 * question count only from this probability too) stay below {@link COMPLAINT_ANGER_THRESHOLD}.
 */
export const CALM_QUESTION_COMPLAINT = 0.8;
/** Most clauses of a message read clause by clause for an insult and a request for a person (insultAndPerson). */
const INSULT_AND_PERSON_CLAUSES = 4;

/** The least probability of a person for a one-word message that is not a phrase for one (see message()). */
export const ONE_WORD_HUMAN = 0.6;

/** A message as lessons match it: its folded tokens (case, accents, punctuation and spacing ignored). */
export function lessonKey(text: string): string {
  return tokenize(text)
    .map((clause) => clause.join(' '))
    .join(' ');
}

function taughtKey(task: Lesson['task'], text: string, locale: string): string {
  return `${task}\u0000${baseLocale(locale)}\u0000${lessonKey(text)}`;
}

function phrase(label: MessageLabel, reasons: readonly string[] = []): MessageReading {
  return { label, confidence: 1, reasons: [`phrase:${label}`, ...reasons] };
}

/** A usage question (`other`), with the model's probability of it and why the model's label was not taken. */
function otherReading(confidence: number, reasons: readonly string[], why: string): MessageReading {
  return { label: 'other', confidence, reasons: [...reasons, why] };
}

/**
 * A message that reads as nothing to act on but is impatient with the company's people (words.ts impatientWithStaff: "cs
 * nya mana sih lama bgt", "where is the support guy ugh so slow", "gdzie ten konsultant tyle czekam"): a complaint
 * about waiting for a person, so the hand-over apologises, then fetches one.
 */
function impatientForPerson(text: string, locale: string, whole: MessageReading): MessageReading | undefined {
  if (!impatientWithStaff(text, locale)) return undefined;
  const reading = phrase('complaint', [...whole.reasons, 'impatient with a person']);
  return whole.leaning ? { ...reading, leaning: whole.leaning } : reading;
}

/**
 * "No problem, it worked", "nie ma problemu, zadziałało": the first clause is a yes phrase that contains a
 * negation word (read as a whole, it means yes) and no later clause is negated.
 */
function startsWithNegatedYes(text: string, locale: string): boolean {
  const words = localeWords(locale);
  const [first, ...rest] = tokenize(text);
  if (!first) return false;
  const isNegatedYes = phraseHits(first, words.yes).some(
    (hit) =>
      hit.start === 0 &&
      hit.end === first.length &&
      phraseHits(first.slice(hit.start, hit.end), words.negation).length > 0,
  );
  return isNegatedYes && rest.every((clause) => phraseHits(clause, words.negation).length === 0);
}

/**
 * What the message model reads of a message: the message without the people it praises (words.ts praisedStaff: "great
 * agent, thank you" is read as "great, thank you", "flink kundebehandler, takk" as "flink, takk": praise of a person
 * asks for no one). The people stay in a question ("can I talk to a nice agent?"). As written when nothing with a
 * letter would be left.
 */
function readable(text: string, locale: string): string {
  if (isQuestion(text, locale)) return text;
  const words = localeWords(locale);
  const read = withoutWords(text, (clause) => praisedStaff(clause, words));
  return /\p{L}/u.test(read) ? read : text;
}

/**
 * A fault named and nothing more, with filler and address words ("treg", "not working", "gangguan kak": words.json
 * `calmReports`), and no anger cue: a calm report for the knowledge base.
 */
function isCalmReport(text: string, locale: string, anger: number): boolean {
  const { calmReports, filler } = localeWords(locale);
  return anger < COMPLAINT_ANGER_THRESHOLD && isCoveredBy(text, calmReports, [filler]);
}

/**
 * A question: a question mark, or a clause that starts with a question word, possibly after a lead such as
 * "but" ("thanks, but how do I change my plan", "ok and where is the invoice").
 */
export function isQuestion(text: string, locale: string): boolean {
  if (text.includes('?')) return true;
  const words = localeWords(locale);
  return tokenize(text).some((clause) => opensQuestion(clause, words));
}

/** The phrase lists of words.json as examples of their message class. */
function phraseExamples(words: LocaleWords): Example<MessageLabel>[] {
  return [
    ...words.closing.map((text) => ({ text, label: 'closing' as const })),
    ...words.human.map((text) => ({ text, label: 'human' as const })),
    ...words.help.map((text) => ({ text, label: 'help' as const })),
    ...words.cancel.map((text) => ({ text, label: 'cancel' as const })),
    ...[...words.complaint.strong, ...words.complaint.swearing].map((text) => ({
      text,
      label: 'complaint' as const,
    })),
  ];
}

/**
 * The message training files of a locale folder: `message.jsonl` (own examples) and `message.<source>.jsonl`
 * (examples taken from a public data set, kept apart so their source and licence stay visible; see the README).
 */
function messageFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /^message(\.[\w-]+)?\.jsonl$/.test(name))
    .sort()
    .map((name) => path.join(folder, name));
}

/** The valid lines of a JSONL file (none when it does not exist); bad lines are added to `problems`. */
function readLines<T>(file: string, schema: z.ZodType<T>, problems: string[]): T[] {
  if (!existsSync(file)) return [];
  const lines: T[] = [];
  for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      if (parsed.success) lines.push(parsed.data);
      else problems.push(`${file}:${index + 1}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    } catch {
      problems.push(`${file}:${index + 1}: not valid JSON`);
    }
  }
  return lines;
}
