import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { sanitizeMarkdown } from '../core/markdown';
import { fold } from '../core/text';
import { redactText } from '../privacy/redact';
import type { Collection, Database, Doc, Filter } from '../storage/port';
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
 * `fallbackLocale` is set when the entries come from DEFAULT_LOCALE because the customer's locale had none.
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
 * The knowledge base: entries in the database, a live in-memory index for matching, history of every change,
 * the unanswered-question log and helpfulness votes. Every write updates the index at once (no restart).
 */
export class KnowledgeBase {
  private readonly faq: Collection<FaqDoc>;
  private readonly history: Collection<FaqHistoryDoc>;
  private readonly unanswered: Collection<UnansweredDoc>;
  private readonly votes: Collection<VoteDoc>;
  /** id → entry, the same content as the index, for answering without a database round trip. */
  private readonly entries = new Map<string, FaqEntry>();

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

  /** Loads every entry into the index (start-up). */
  async load(): Promise<number> {
    const docs = await this.faq.find({});
    this.entries.clear();
    for (const doc of docs) this.entries.set(doc._id, toEntry(doc));
    this.index.rebuild([...this.entries.values()]);
    return docs.length;
  }

  /** Loads `entries` when the knowledge base is empty (first start). Returns how many were added. */
  async seedIfEmpty(entries: FaqInput[], by: string): Promise<number> {
    if ((await this.faq.countDocuments({})) > 0) return 0;
    for (const input of entries) await this.create(input, by);
    return entries.length;
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
    const id = input.id ?? `${input.locale}-${randomUUID().slice(0, 8)}`;
    if (this.entries.has(id)) throw AppError.conflict(`An entry with id "${id}" already exists.`);
    const entry = this.complete(id, input, 1, by);
    await this.faq.insertOne(this.toDoc(entry));
    await this.record(id, action, by, null, entry);
    this.apply(entry);
    return entry;
  }

  /**
   * Replaces an entry's content; `expectedVersion` (optional) guards against overwriting someone's edit;
   * `action` is what its history says (`import` for changes made by an import).
   */
  async update(
    id: string,
    input: FaqInput,
    by: string,
    expectedVersion?: number,
    action: 'update' | 'import' = 'update',
  ): Promise<FaqEntry> {
    const before = this.entries.get(id);
    if (!before) throw AppError.notFound('That entry');
    const version = expectedVersion ?? before.version;
    const entry = this.complete(id, input, version + 1, by);
    const { _id, ...fields } = this.toDoc(entry);
    const updated = await this.faq.findOneAndUpdate(
      { _id, version },
      { $set: fields },
      { returnDocument: 'after' },
    );
    if (!updated) throw AppError.conflict('Someone else changed this entry; reload it and try again.');
    await this.record(id, action, by, before, entry);
    this.apply(entry);
    return entry;
  }

  /**
   * The content that saving `input` as entry `id` would store (validated, sanitised, questions de-duplicated),
   * without saving it: import dry runs and "unchanged" detection. Throws the same 400s as create and update.
   */
  preview(id: string, input: FaqInput): FaqEntry {
    const current = this.entries.get(id);
    return this.complete(id, input, current?.version ?? 1, current?.updatedBy ?? '');
  }

  async remove(id: string, by: string): Promise<void> {
    const before = this.entries.get(id);
    if (!before) throw AppError.notFound('That entry');
    await this.faq.deleteOne({ _id: id });
    await this.record(id, 'delete', by, before, null);
    this.entries.delete(id);
    this.index.remove(id);
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

  /** Decides how to answer: the customer's locale first, then DEFAULT_LOCALE with a note. */
  decide(text: string, locale: string): Decision {
    const own = this.decideIn(text, locale);
    if (own.kind !== 'none' || locale === this.defaultLocale) return own;
    const fallback = this.decideIn(text, this.defaultLocale);
    return fallback.kind === 'none' ? own : { ...fallback, fallbackLocale: this.defaultLocale };
  }

  /** A vague question (one content word, or two words in all) gets choices, never one answer outright. */
  private decideIn(text: string, locale: string): Decision {
    const ranked = this.rank(text, locale, 4);
    const [best, ...others] = ranked;
    if (!best || best.score < this.thresholds.clarify) return { kind: 'none', bestScore: best?.score ?? 0 };
    if (best.score >= this.thresholds.answer && !this.index.isVague(text, locale)) {
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

  /** Logs a question nobody could answer (ranked for admins by frequency per locale). */
  async recordUnanswered(question: string, locale: string, bestScore: number): Promise<void> {
    const text = redactText(question);
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
    if (questions.length === 0) throw AppError.badRequest('An entry needs at least one question.');
    const answer = sanitizeMarkdown(input.answer);
    if (!answer) throw AppError.badRequest('An entry needs an answer.');
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

  private apply(entry: FaqEntry): void {
    this.entries.set(entry.id, entry);
    this.index.upsert(entry);
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
