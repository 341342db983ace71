import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { repairPiledEscapes, sanitizeMarkdown } from '../core/markdown';
import { fold } from '../core/text';
import { supportedLocales } from '../language/words';
import { redactContacts } from '../privacy/redact';
import {
  DuplicateKeyError,
  type ChangeEvent,
  type ChangeFeed,
  type Collection,
  type Database,
  type Doc,
  type Filter,
} from '../storage/port';
import { normalize } from './normalize';
import type { FaqEntry, FaqIndex } from './types';

/** An entry as stored: `_id` is the entry id. */
export type FaqDoc = Doc & Omit<FaqEntry, 'id'>;

export interface FaqHistoryDoc extends Doc {
  entryId: string;
  action: 'create' | 'update' | 'delete' | 'import';
  by: string;
  at: Date;
  before: FaqEntry | null;
  after: FaqEntry | null;
}

export interface UnansweredDoc extends Doc {
  locale: string;
  text: string;
  count: number;
  bestScore: number;
  firstAt: Date;
  lastAt: Date;
  /** Set when an admin added the question to an entry. */
  resolvedInto?: string;
}

export interface VoteDoc extends Doc {
  helpful: number;
  notHelpful: number;
}

/** What an admin may write; the rest (version, timestamps, author) is set by the store. */
export interface FaqInput {
  id?: string;
  topic?: string;
  locale: string;
  questions: string[];
  answer: string;
  category?: string;
  followUps?: string[];
  enabled?: boolean;
}

export interface Thresholds {
  answer: number;
  clarify: number;
}

export interface Candidate {
  entry: FaqEntry;
  score: number;
}

/**
 * What to do with a customer's question: answer the best entry, offer up to three choices, or admit no match.
 * `fallbackLocale` is set when an entry comes from DEFAULT_LOCALE because the customer's locale has no
 * translation of it.
 */
export type Decision =
  | { kind: 'answer'; best: Candidate; others: Candidate[]; fallbackLocale?: string }
  | { kind: 'clarify'; choices: Candidate[]; fallbackLocale?: string }
  | { kind: 'none'; bestScore: number };

/** Example questions of `entryId` that, asked as a customer would, go to `winnerId` (see health()). */
export interface EntryCollision {
  entryId: string;
  winnerId: string;
  questions: { text: string; score: number }[];
}

const toEntry = ({ _id, ...rest }: FaqDoc): FaqEntry => ({ id: _id, ...rest });

/**
 * A stored entry as customers and editors get it: an answer with the backslashes that saves before sanitising
 * was idempotent piled up is repaired (repairPiledEscapes); the next save stores the repaired answer.
 */
const servedEntry = (doc: FaqDoc): FaqEntry => {
  const entry = toEntry(doc);
  const answer = repairPiledEscapes(entry.answer);
  return answer === entry.answer ? entry : { ...entry, answer };
};

/** The id of a new entry that has none: its locale, a hyphen and a random part ("nb-3f2a9c1e"). */
const newId = (input: FaqInput): string => input.id ?? `${input.locale}-${randomUUID().slice(0, 8)}`;

/**
 * Refuses (400 naming `id`) an id that starts with another supported locale's prefix ("pl-…" for an `nb` entry):
 * ids name their language as newId writes them, and editors and exports read it there. `stored` is the locale the
 * entry already has: one saved before this rule keeps its id while it stays in that locale.
 */
function assertIdOfLocale(id: string, locale: string, stored?: string): void {
  if (stored === locale) return;
  const other = supportedLocales().find((l) => l !== locale && id.toLowerCase().startsWith(`${l}-`));
  if (other === undefined) return;
  const message =
    `The id "${id}" starts with "${other}-", the prefix of entries in "${other}"; an entry in "${locale}" ` +
    `needs another id (such as "${locale}-${id}").`;
  throw AppError.badRequest(message, [{ path: 'id', message }]);
}

/**
 * The knowledge base: entries in the database, a live in-memory index for matching, history of every change,
 * the unanswered-question log and helpfulness votes.
 *
 * The database decides: a create with a taken id, an edit of a version that is no longer current, an edit or
 * removal of an entry that is gone fail there (409, 409 with the current version, 404), whatever this
 * instance's index holds. The index follows the database (see follow()): entries written by any instance
 * reach it moments later; this instance's own writes reach it at once.
 */
export class KnowledgeBase {
  private readonly faq: Collection<FaqDoc>;
  private readonly history: Collection<FaqHistoryDoc>;
  private readonly unanswered: Collection<UnansweredDoc>;
  private readonly votes: Collection<VoteDoc>;
  /** id → entry, the same content as the index, for answering without a database round trip. */
  private readonly entries = new Map<string, FaqEntry>();
  private feed: ChangeFeed | undefined;
  /** Changes the feed has reported so far (see settle()). */
  private heard = 0;
  /** Changes reported while load() reads the collection, applied after it; undefined when not loading. */
  private heardWhileLoading: ChangeEvent<FaqDoc>[] | undefined;

  constructor(
    db: Database,
    private readonly index: FaqIndex,
    private readonly clock: Clock,
    private readonly thresholds: Thresholds,
    private readonly defaultLocale: string,
  ) {
    this.faq = db.collection<FaqDoc>('faq');
    this.history = db.collection<FaqHistoryDoc>('faqHistory');
    this.unanswered = db.collection<UnansweredDoc>('unanswered');
    this.votes = db.collection<VoteDoc>('faqVotes');
  }

  /**
   * Follows the database: each entry created, edited or removed by any instance (this one included) is put
   * into the index or taken out of it as the change feed reports it, in commit order. One entry's update
   * touches only that entry's part of the index (no rebuild); the calibration is refitted lazily, at the
   * first search after enough edits, while searches go on. Call before load(); `onError` hears of an
   * interrupted feed (changes may then be missed until the entry changes again or the next start).
   */
  async follow(onError: (error: unknown) => void): Promise<void> {
    this.feed = await this.faq.watch((change) => this.hear(change), onError);
  }

  /** Stops following the database (before it closes). */
  async close(): Promise<void> {
    await this.feed?.close();
    this.feed = undefined;
  }

  /** Loads every entry into the index (start-up). */
  async load(): Promise<number> {
    this.heardWhileLoading = [];
    let docs: FaqDoc[];
    try {
      docs = await this.faq.find({});
    } catch (error) {
      this.heardWhileLoading = undefined;
      throw error;
    }
    this.entries.clear();
    for (const doc of docs) this.entries.set(doc._id, servedEntry(doc));
    this.index.rebuild([...this.entries.values()]);
    // Changes reported during the read, in commit order: those it already saw are applied again, harmlessly.
    const missed = this.heardWhileLoading;
    this.heardWhileLoading = undefined;
    for (const change of missed) this.applyChange(change);
    return docs.length;
  }

  /**
   * Adds `entries` when the knowledge base is empty (first start). Each entry is inserted only if its id is
   * not taken yet (an upsert that sets nothing on an existing entry), so instances starting for the first
   * time at once end with every entry once, and an entry is never overwritten. Returns how many this call
   * added.
   */
  async seedIfEmpty(entries: FaqInput[], by: string): Promise<number> {
    if ((await this.faq.countDocuments({})) > 0) return 0;
    let added = 0;
    for (const input of entries) {
      const entry = this.complete(newId(input), input, 1, by);
      const { _id, ...fields } = this.toDoc(entry);
      const heard = this.heard;
      const inserted = await this.faq.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true }).then(
        (result) => result.upsertedId !== null,
        (error: unknown) => {
          // Two upserts of one id at once on MongoDB: the other instance inserted it.
          if (error instanceof DuplicateKeyError) return false;
          throw error;
        },
      );
      if (!inserted) continue;
      await this.record(entry.id, 'create', by, null, entry);
      this.settle(heard, entry.id, entry);
      added++;
    }
    return added;
  }

  get(id: string): FaqEntry | undefined {
    return this.entries.get(id);
  }

  /** Entries, optionally of one locale, category or matching a search text (questions, answer, id). */
  list(filter: { locale?: string; category?: string; q?: string } = {}): FaqEntry[] {
    const q = filter.q ? fold(filter.q) : undefined;
    return [...this.entries.values()]
      .filter((e) => !filter.locale || e.locale === filter.locale)
      .filter((e) => !filter.category || e.category === filter.category)
      .filter((e) => !q || fold([e.id, e.answer, ...e.questions].join(' ')).includes(q))
      .sort((a, b) => a.locale.localeCompare(b.locale) || a.id.localeCompare(b.id));
  }

  /** Adds an entry; `action` is what its history says (`import` for entries added by an import). */
  async create(input: FaqInput, by: string, action: 'create' | 'import' = 'create'): Promise<FaqEntry> {
    const id = newId(input);
    assertIdOfLocale(id, input.locale);
    const entry = this.complete(id, input, 1, by);
    const heard = this.heard;
    try {
      await this.faq.insertOne(this.toDoc(entry));
    } catch (error) {
      if (error instanceof DuplicateKeyError)
        throw new AppError(409, 'id_taken', `An entry with id "${id}" already exists.`);
      throw error;
    }
    await this.record(id, action, by, null, entry);
    this.settle(heard, id, entry);
    return entry;
  }

  /**
   * Replaces an entry's content (a topic left out stays as it is). `expectedVersion` (optional; else the
   * stored version) is a condition of the write: when the entry has another version by then, 409 with the
   * current one in `details.version`. `action` is what its history says (`import` for changes by an import).
   */
  async update(
    id: string,
    input: FaqInput,
    by: string,
    expectedVersion?: number,
    action: 'update' | 'import' = 'update',
  ): Promise<FaqEntry> {
    const heard = this.heard;
    const current = await this.faq.findOne({ _id: id });
    if (!current) throw AppError.notFound('That entry');
    assertIdOfLocale(id, input.locale, current.locale);
    const version = expectedVersion ?? current.version;
    const entry = this.complete(id, { ...input, topic: input.topic ?? current.topic }, version + 1, by);
    const { _id, ...fields } = this.toDoc(entry);
    // Optional fields the edit leaves out go (the last follow-up or the category removed).
    const dropped = (['category', 'followUps'] as const).filter((field) => fields[field] === undefined);
    const before = await this.faq.findOneAndUpdate(
      { _id, version },
      {
        $set: fields,
        ...(dropped.length > 0 ? { $unset: Object.fromEntries(dropped.map((field) => [field, ''])) } : {}),
      },
      { returnDocument: 'before' },
    );
    if (!before) throw await this.refusal(id);
    await this.record(id, action, by, toEntry(before), entry);
    this.settle(heard, id, entry);
    return entry;
  }

  /**
   * The content that saving `input` as entry `id` would store (validated, sanitised, questions de-duplicated),
   * without saving it: import dry runs and "unchanged" detection. Throws the same 400s as create and update.
   */
  preview(id: string, input: FaqInput): FaqEntry {
    const current = this.entries.get(id);
    assertIdOfLocale(id, input.locale, current?.locale);
    return this.complete(id, input, current?.version ?? 1, current?.updatedBy ?? '');
  }

  async remove(id: string, by: string): Promise<void> {
    const heard = this.heard;
    const before = await this.faq.findOne({ _id: id });
    if (!before) throw AppError.notFound('That entry');
    const { deletedCount } = await this.faq.deleteOne({ _id: id, version: before.version });
    if (deletedCount === 0) throw await this.refusal(id);
    await this.record(id, 'delete', by, toEntry(before), null);
    this.settle(heard, id, null);
    // Entries that offered it as a follow-up offer it no more (else their next save fails on an unknown id).
    const offering = [...this.entries.values()].filter((entry) => entry.followUps?.includes(id));
    for (const { version: _version, updatedAt: _at, updatedBy: _by, followUps = [], ...entry } of offering) {
      await this.update(entry.id, { ...entry, followUps: followUps.filter((f) => f !== id) }, by);
    }
  }

  async historyOf(id: string): Promise<FaqHistoryDoc[]> {
    return this.history.find({ entryId: id }, { sort: { at: -1 }, limit: 100 });
  }

  /** Ranked matches of a text in one locale (admin "test a question"). */
  rank(text: string, locale: string, limit = 5): Candidate[] {
    return this.index.search(text, locale, limit).flatMap((m) => {
      const entry = this.entries.get(m.id);
      return entry ? [{ entry, score: m.score }] : [];
    });
  }

  /**
   * Decides how to answer: the customer's locale first, then DEFAULT_LOCALE (a question asked in words its
   * entries share, "gimana cara top up"): what matches there is answered with its translation in the customer's
   * locale (the same topic), and only an entry without one in DEFAULT_LOCALE's language, with a note.
   */
  decide(text: string, locale: string): Decision {
    const own = this.decideIn(text, locale);
    if (own.kind !== 'none' || locale === this.defaultLocale) return own;
    const fallback = this.decideIn(text, this.defaultLocale);
    // A topic whose entry in the customer's locale is disabled is not answered in another language either.
    const translated = (c: Candidate): Candidate[] => {
      const entry = this.translation(c.entry, locale);
      if (entry === null) return [];
      return [{ ...c, entry: entry ?? c.entry }];
    };
    let shown: Decision;
    if (fallback.kind === 'answer') {
      const [best] = translated(fallback.best);
      if (!best) return own;
      // The other candidates (offered when the answer did not help) in the answer's language only.
      const others = fallback.others.flatMap(translated).filter((c) => c.entry.locale === best.entry.locale);
      shown = { kind: 'answer', best, others };
    } else if (fallback.kind === 'clarify') {
      const choices = fallback.choices.flatMap(translated);
      if (choices.length === 0) return own;
      shown = { kind: 'clarify', choices };
    } else {
      return own;
    }
    const given = shown.kind === 'answer' ? [shown.best] : shown.choices;
    return given.every((c) => c.entry.locale === locale)
      ? shown
      : { ...shown, fallbackLocale: this.defaultLocale };
  }

  /**
   * The enabled entry of `entry`'s topic in `locale`: undefined when the topic has none there, null when it has
   * only disabled ones (an admin took that answer away in that language).
   */
  private translation(entry: FaqEntry, locale: string): FaqEntry | null | undefined {
    let disabled = false;
    for (const other of this.entries.values()) {
      if (other.topic !== entry.topic || other.locale !== locale) continue;
      if (other.enabled) return other;
      disabled = true;
    }
    return disabled ? null : undefined;
  }

  /**
   * A vague question (one content word, or two words in all) gets choices, never one answer outright, unless it
   * is one of the best entry's own example questions of more than two words ("How do I get a refund?", also sent
   * by a follow-up button; a bare "refund" still gets choices).
   */
  private decideIn(text: string, locale: string): Decision {
    const ranked = this.rank(text, locale, 4);
    const [best, ...others] = ranked;
    if (!best || best.score < this.thresholds.clarify) return { kind: 'none', bestScore: best?.score ?? 0 };
    const clear = !this.index.isVague(text, locale) || asksOwnQuestion(best.entry, text);
    if (best.score >= this.thresholds.answer && clear) {
      return { kind: 'answer', best, others: others.filter((c) => c.score >= this.thresholds.clarify) };
    }
    return { kind: 'clarify', choices: ranked.filter((c) => c.score >= this.thresholds.clarify).slice(0, 3) };
  }

  /**
   * Knowledge-base health of one locale: pairs of entries whose example questions collide. Each example
   * question is asked against the index without it; when another entry wins with a confidence at which the
   * bot answers outright (the answer threshold), the pair is listed with those questions, most questions first.
   * (Below that the customer gets "Did you mean" choices; those overlaps are not listed.)
   */
  health(locale: string): EntryCollision[] {
    const pairs = new Map<string, EntryCollision>();
    for (const { entryId, question, winnerId, score } of this.index.crossCheck(locale)) {
      const text = this.entries.get(entryId)?.questions[question];
      if (score < this.thresholds.answer || text === undefined) continue;
      const key = `${entryId}\n${winnerId}`;
      let pair = pairs.get(key);
      if (!pair) pairs.set(key, (pair = { entryId, winnerId, questions: [] }));
      pair.questions.push({ text, score });
    }
    return [...pairs.values()].sort(
      (a, b) =>
        b.questions.length - a.questions.length ||
        a.entryId.localeCompare(b.entryId) ||
        a.winnerId.localeCompare(b.winnerId),
    );
  }

  /**
   * Logs a question nobody could answer (ranked for admins by frequency per locale). Kept apart from the
   * conversation, so no erasure finds it: sensitive numbers, e-mail addresses and phone numbers are removed first.
   */
  async recordUnanswered(question: string, locale: string, bestScore: number): Promise<void> {
    const text = redactContacts(question);
    const key = createHash('sha256')
      .update(`${locale}\n${fold(text)}`)
      .digest('hex')
      .slice(0, 32);
    const now = this.clock.now();
    await this.unanswered.updateOne(
      { _id: key },
      {
        $inc: { count: 1 },
        $set: { lastAt: now, text: text.slice(0, 500) },
        $max: { bestScore },
        $setOnInsert: { locale, firstAt: now },
      },
      { upsert: true },
    );
  }

  async unansweredList(locale?: string, limit = 100): Promise<UnansweredDoc[]> {
    const filter: Filter<UnansweredDoc> = { resolvedInto: { $exists: false } };
    if (locale) filter.locale = locale;
    return this.unanswered.find(filter, { sort: { count: -1, lastAt: -1 }, limit });
  }

  /** Adds an unanswered question to an entry's example questions and marks it resolved. */
  async resolveUnanswered(unansweredId: string, entryId: string, by: string): Promise<FaqEntry> {
    const item = await this.unanswered.findOne({ _id: unansweredId });
    if (!item) throw AppError.notFound('That unanswered question');
    const entry = this.entries.get(entryId);
    if (!entry) throw AppError.notFound('That entry');
    // Customers are not answered with a disabled entry: the question would still go unanswered, and vanish from
    // the list. The admin enables the entry first (or picks another one).
    if (!entry.enabled) {
      throw new AppError(
        409,
        'entry_disabled',
        `The entry ${entryId} is disabled: customers would still get no answer. Enable it first, or choose another entry.`,
      );
    }
    if (entry.locale !== item.locale) {
      throw AppError.badRequest(
        `That question is in "${item.locale}"; choose an entry in the same language.`,
      );
    }
    const updated = await this.update(entryId, { ...entry, questions: [...entry.questions, item.text] }, by);
    await this.unanswered.updateOne({ _id: unansweredId }, { $set: { resolvedInto: entryId } });
    return updated;
  }

  async vote(entryId: string, helpful: boolean): Promise<void> {
    await this.votes.updateOne(
      { _id: entryId },
      { $inc: helpful ? { helpful: 1, notHelpful: 0 } : { helpful: 0, notHelpful: 1 } },
      { upsert: true },
    );
  }

  async votesList(): Promise<VoteDoc[]> {
    return this.votes.find({});
  }

  private complete(id: string, input: FaqInput, version: number, by: string): FaqEntry {
    const questions = [...new Set(input.questions.map((q) => q.trim()).filter(Boolean))];
    if (questions.length === 0) {
      const message = 'An entry needs at least one question.';
      throw AppError.badRequest(message, [{ path: 'questions', message }]);
    }
    const answer = sanitizeMarkdown(input.answer);
    if (!answer) {
      const message = 'An entry needs an answer (nothing is left once HTML is removed).';
      throw AppError.badRequest(message, [{ path: 'answer', message }]);
    }
    return {
      id,
      topic: input.topic ?? id.replace(new RegExp(`^${input.locale}-`), ''),
      locale: input.locale,
      questions,
      answer,
      ...(input.category ? { category: input.category } : {}),
      ...(input.followUps?.length ? { followUps: input.followUps } : {}),
      enabled: input.enabled ?? true,
      version,
      updatedAt: this.clock.now(),
      updatedBy: by,
    };
  }

  private toDoc({ id, ...rest }: FaqEntry): FaqDoc {
    return { _id: id, ...rest };
  }

  /** Why a conditional write of entry `id` matched nothing: it is gone (404) or has another version (409). */
  private async refusal(id: string): Promise<AppError> {
    const current = await this.faq.findOne({ _id: id });
    if (!current) return AppError.notFound('That entry');
    return AppError.conflict('Someone else changed this entry; reload it and try again.', {
      version: current.version,
    });
  }

  /**
   * After this instance wrote entry `id` (`entry`, or null: removed): the index takes it at once, unless the
   * feed has reported changes since `heard`. Then the feed brings this write too, after those changes (in
   * commit order), and taking it here could put it over a later change that the feed already applied.
   */
  private settle(heard: number, id: string, entry: FaqEntry | null): void {
    if (this.heard !== heard) return;
    if (entry) this.apply(entry);
    else this.forget(id);
  }

  /** A change the feed reported (see follow()). */
  private hear(change: ChangeEvent<FaqDoc>): void {
    this.heard++;
    if (this.heardWhileLoading) this.heardWhileLoading.push(change);
    else this.applyChange(change);
  }

  private applyChange(change: ChangeEvent<FaqDoc>): void {
    if (change.operationType === 'delete') this.forget(change.documentKey._id);
    // An update without the document: it was removed since, which a later change reports.
    else if (change.fullDocument) this.apply(servedEntry(change.fullDocument));
  }

  /** Puts the entry into the index, unless it holds this very version already (this instance's own write). */
  private apply(entry: FaqEntry): void {
    const known = this.entries.get(entry.id);
    if (known?.version === entry.version && known.updatedAt.getTime() === entry.updatedAt.getTime()) return;
    this.entries.set(entry.id, entry);
    this.index.upsert(entry);
  }

  private forget(id: string): void {
    if (!this.entries.delete(id)) return;
    this.index.remove(id);
  }

  private async record(
    entryId: string,
    action: FaqHistoryDoc['action'],
    by: string,
    before: FaqEntry | null,
    after: FaqEntry | null,
  ): Promise<void> {
    await this.history.insertOne({
      _id: randomUUID(),
      entryId,
      action,
      by,
      at: this.clock.now(),
      before,
      after,
    });
  }
}

/**
 * Whether `text` is one of the entry's example questions of more than two words, as the matcher reads text (case,
 * accents, punctuation aside).
 */
function asksOwnQuestion(entry: FaqEntry, text: string): boolean {
  const asked = normalize(text);
  return asked.split(' ').length > 2 && entry.questions.some((question) => normalize(question) === asked);
}
