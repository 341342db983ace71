import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Next, Request, Response, Server } from 'restify';
import { CustomerServiceBot } from '../bots/customerServiceBot';
import { PrivacyGuard } from '../bots/privacyGuard';
import { CustomerData } from '../privacy/customerData';
import { registerCustomerRoutes } from './customerRoutes';
import { ProactiveMessenger } from '../bots/proactive';
import { ProactiveCustomerChannel } from '../bots/customerChannel';
import { surveyIdleConversations } from '../bots/inactivity';
import { TeamsStaff } from '../bots/teamsStaff';
import { publicUrl, type Config } from '../config';
import { systemClock, type Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { isRecord } from '../core/guards';
import { KeyedQueue } from '../core/keyedQueue';
import { createLogger, type Logger } from '../core/logger';
import { FaqDialog } from '../dialogs/faqDialog';
import { EscalationDialog } from '../dialogs/escalationDialog';
import { FeedbackDialog } from '../dialogs/feedbackDialog';
import { MainDialog, type RouterMemory } from '../dialogs/mainDialog';
import { FeedbackService } from '../feedback/service';
import { FollowupService } from '../handoff/followups';
import { HandoffService } from '../handoff/service';
import { StaffPresence } from '../handoff/presence';
import type { SurveyRequest } from '../handoff/types';
import { seedDemo } from '../knowledge/seed';
import { Understanding } from '../language/understanding';
import { ReviewLog, teach, type ReviewLabelDoc } from '../review/log';
import { FaqMatcher } from '../knowledge/matcher';
import { KnowledgeBase } from '../knowledge/store';
import { DatabaseStorage, JsonBotState, StateConflictError } from '../storage/botStateStore';
import { LeasedQueue, defaultLeasePolicy, type Held, type LeasePolicy } from '../storage/lease';
import { ConversationStore } from '../storage/conversations';
import { EventBus } from '../storage/eventBus';
import { leaseTables, openDatabase } from '../storage/index';
import type { Database } from '../storage/port';
import { createAdapter, type BotAdapter } from './adapter';
import { registerAdminRoutes } from './adminRoutes';
import { registerAgentEvents, type StaffEvent } from './agentEvents';
import { registerAgentRoutes } from './agentRoutes';
import { StaffAuth } from './auth';
import { DirectLineLink } from './directline/link';
import { sharedSigningKey } from './directline/tokens';
import { registerDirectLine } from './directline/routes';
import { registerRatingRoutes } from './ratingRoutes';
import { registerReviewRoutes } from './reviewRoutes';
import { registerAdminTexts, registerSharedAssets } from './sharedAssets';
import { registerWebChat } from './webchatRoutes';
import { createHttpServer, requestOrigin, route } from './http';

export interface AppOverrides {
  /**
   * A database to use instead of opening the configured one (tests: in-memory embedded store). Several apps
   * may share one, as instances share MongoDB: the last of them to stop closes it.
   */
  db?: Database;
  clock?: Clock;
  log?: Logger;
  /** Trained understanding models to use instead of training them at start (tests share one). */
  understanding?: Understanding;
  /** Conversation and sweep leases: lifetimes and waits (tests shorten them). */
  leasePolicy?: Partial<LeasePolicy>;
}

/** How many running apps use each database (apps of one process sharing an injected store). */
const databaseUsers = new WeakMap<Database, number>();

/** How often the sweeps run. */
const SWEEP_INTERVAL_MS = 60_000;
/** How long a sweep's lease is kept: the other instances' timers within it leave the sweep alone. */
const SWEEP_LEASE_MS = SWEEP_INTERVAL_MS - 5_000;
/** Times a turn runs again when its state save meets a state another instance saved meanwhile. */
const CONFLICT_RETRIES = 2;

/**
 * Each sweep runs on one instance at a time: under a lease that it keeps until it expires (55 s), so the
 * instances' timers run it about once a minute in all. A sweep another instance holds returns 0 at once.
 */
export interface Sweeps {
  /** Queued cases nobody took in time become leave-a-message tickets. */
  expireCases(): Promise<number>;
  /** Customers silent for SURVEY_INACTIVITY_MINUTES get the survey (once per episode). */
  surveyIdle(): Promise<number>;
  /** Staff tokens past their expiry: their streams end and their cases go back to the queue, as when revoked. */
  expireTokens(): Promise<number>;
}

export interface App {
  server: Server;
  adapter: BotAdapter;
  bot: CustomerServiceBot;
  db: Database;
  kb: KnowledgeBase;
  conversations: ConversationStore;
  auth: StaffAuth;
  handoff: HandoffService;
  /** The follow-up inbox: left messages, queue timeouts and low-rating call-backs. */
  followups: FollowupService;
  feedback: FeedbackService;
  /** What the bot understands of customer messages; `learn()` adds labelled examples at run time. */
  understanding: Understanding;
  sweeps: Sweeps;
  log: Logger;
  /** Listens on `port` (default: config PORT; 0 = any free port) and returns the base URL. */
  start(port?: number): Promise<{ url: string; port: number }>;
  /** Stops accepting, finishes in-flight turns, sweeps and deferred customer notices, closes the database (unless another app still uses it). */
  stop(): Promise<void>;
}

/** Fields every Bot Framework channel sends, with their longest value: the bot cannot answer without them. */
const REQUIRED_FIELDS: ReadonlyArray<[string, number]> = [
  ['type', 64],
  ['channelId', 64],
  ['conversation.id', 1024],
  ['from.id', 1024],
  ['recipient.id', 1024],
];
/** Fields that are strings when present (ids, the address replies go to, the text). */
const STRING_FIELDS: ReadonlyArray<[string, number]> = [
  ['id', 1024],
  ['replyToId', 1024],
  ['serviceUrl', 2048],
  ['text', 100_000],
];

/**
 * Why `value` is not an activity the bot can answer, or undefined: the one check at the door of /api/messages
 * (a 400 names the field). Required: a string `type`, `channelId`, `conversation.id`, `from.id` and
 * `recipient.id` (a reply goes from the recipient to the sender, in that channel and conversation); ids,
 * `serviceUrl` and `text` are strings when present. Wrong types in the other fields are neutralised on every
 * turn instead (the bot's tidyInbound). Checked by hand: this runs on every turn, and a schema library costs
 * more here than the whole check.
 */
function inboundActivityProblem(value: unknown): { path: string; message: string } | undefined {
  if (!isRecord(value)) return { path: '', message: 'An activity is a JSON object.' };
  for (const [path, max] of REQUIRED_FIELDS) {
    const v = fieldAt(value, path);
    if (typeof v !== 'string' || v === '' || v.length > max)
      return { path, message: `An activity needs ${path} as a string of 1 to ${max} characters.` };
  }
  for (const [path, max] of STRING_FIELDS) {
    const v = fieldAt(value, path);
    if (v !== undefined && (typeof v !== 'string' || v.length > max))
      return { path, message: `${path} must be a string of at most ${max} characters.` };
  }
  return undefined;
}

/** The value at a dotted path of fields ("conversation.id"), or undefined. */
function fieldAt(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) at = isRecord(at) ? at[key] : undefined;
  return at;
}

function isInboundActivity(value: unknown): value is Activity {
  return inboundActivityProblem(value) === undefined;
}

/** A comma-separated list of ids (STAFF_TEAMS_ADMINS, STAFF_TEAMS_AGENTS). */
function idList(value: string): string[] {
  return value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

/**
 * Builds the whole app (database, services, adapter, bot, routes) without listening: tests and benchmarks
 * call `createApp(config)` and `start(0)`; index.ts starts it on the configured port.
 */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL, { logContent: config.LOG_CONTENT });
  const clock = overrides.clock ?? systemClock;
  const db =
    overrides.db ??
    (await openDatabase({
      ...(config.MONGODB_URI ? { mongodbUri: config.MONGODB_URI } : {}),
      mongodbDb: config.MONGODB_DB,
      dataDir: config.DATA_DIR,
      clock,
      log,
    }));
  if (db.kind === 'embedded') log.info({ dataDir: config.DATA_DIR }, 'embedded store: one process only');
  // Production refuses to start without it (config.ts); elsewhere anyone who reaches the port can post activities.
  if (!config.MicrosoftAppId)
    log.warn(
      { host: config.HOST },
      'MicrosoftAppId is not set: /api/messages accepts activities from anyone who reaches this port, unchecked ' +
        '(development only; HOST=127.0.0.1 keeps it on this machine)',
    );

  const conversations = new ConversationStore(db, clock, {
    transcriptTurns: config.HANDOFF_TRANSCRIPT_TURNS,
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS,
  });
  const kb = new KnowledgeBase(
    db,
    new FaqMatcher(),
    clock,
    { answer: config.FAQ_ANSWER_THRESHOLD, clarify: config.FAQ_CLARIFY_THRESHOLD },
    config.DEFAULT_LOCALE,
  );
  // The index follows the database from here on; the demo entries (first start only) go in before the load.
  await kb.follow((err) => log.warn({ err }, 'FAQ change feed interrupted; the index may miss changes'));
  if (config.FAQ_SEED_DEMO) {
    const added = await seedDemo(kb);
    if (added > 0) log.info({ entries: added }, 'demo knowledge base loaded');
  }
  log.info({ entries: await kb.load() }, 'knowledge base loaded');
  const auth = new StaffAuth(db, clock, config.ADMIN_TOKEN, config.TRUST_PROXY);

  const appId = config.MicrosoftAppId ?? '';
  // The public URL is known for sure only once the server listens (port 0 in tests).
  let baseUrl = publicUrl(config, config.PORT);
  // The embedded Direct Line (without DIRECT_LINE_SECRET): one signing key for every instance.
  const signingKey = config.DIRECT_LINE_SECRET
    ? undefined
    : await sharedSigningKey(db, config.DIRECT_LINE_SIGNING_KEY);
  const link = signingKey ? new DirectLineLink(signingKey, () => baseUrl, appId) : undefined;
  const adapter = createAdapter(config, link);
  const turns = new LeasedQueue(
    new KeyedQueue(),
    leaseTables(db, conversations, clock, randomUUID()),
    (err: unknown) => log.warn({ err }, 'lease not renewed or released'),
    { ...defaultLeasePolicy, ...overrides.leasePolicy },
  );
  const proactive = new ProactiveMessenger(adapter, appId, conversations, turns, log);
  const storage = new DatabaseStorage(db, { clock, days: config.TRANSCRIPT_RETENTION_DAYS });
  // The Teams cards are cleaned at an erasure too (the staff side is created below).
  const customerData = new CustomerData(db, clock, () => staff);
  const conversationState = JsonBotState.conversation(storage);
  const userState = JsonBotState.user(storage);

  // The bot is created last, but services reach customers through it (surveys in proactive turns).
  const customers = new ProactiveCustomerChannel(
    proactive,
    (context: TurnContext, survey: SurveyRequest): Promise<void> => bot.runProactive(context, { survey }),
  );
  // Case and follow-up events reach the staff consoles of every instance through the database.
  const staffEvents = new EventBus<StaffEvent>(db, clock, log);
  await staffEvents.start();
  const followups = new FollowupService({
    db,
    clock,
    conversations,
    log,
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS,
    events: {
      publish: (event, subject) =>
        staffEvents.publish(event, {
          ...subject,
          record: { collection: 'followups', id: event.followup.id },
        }),
    },
  });
  const presence = new StaffPresence(clock);
  const handoff = new HandoffService({
    db,
    clock,
    config,
    conversations,
    customers,
    followups,
    presence,
    log,
    events: {
      publish: (event) =>
        staffEvents.publish(event, {
          conversationId: event.caseView.conversationId,
          customerId: event.caseView.customerId,
          record: { collection: 'cases', id: event.caseView.id },
        }),
    },
  });
  // A member of staff whose token was revoked or expired answers no more: their cases go back to the queue
  // (revoke() and expireDue() wait for it).
  auth.onEnded(async (id) => {
    const released = await handoff.releaseAllOf(id);
    if (released > 0) log.info({ tokenId: id, released }, 'cases of an ended token back in the queue');
  });
  const feedback = new FeedbackService({
    db,
    clock,
    changeWindowMinutes: config.RATING_CHANGE_WINDOW_MINUTES,
    commentRetentionDays: config.COMMENT_RETENTION_DAYS,
  });
  const staff = new TeamsStaff({
    adapter,
    appId,
    handoff,
    followups,
    db,
    clock,
    log,
    presence,
    locale: config.STAFF_LOCALE,
    admins: idList(config.STAFF_TEAMS_ADMINS),
    adminsRequired: config.NODE_ENV === 'production',
    agents: idList(config.STAFF_TEAMS_AGENTS),
  });
  const stopStaff = staff.start();

  const review = new ReviewLog(db, clock, config.TRANSCRIPT_RETENTION_DAYS, log);
  // The labels admins give or take back in "Messages to review", on any instance, are taught here as they come;
  // those given before are taught again at every start. Labels heard while the models train wait for them.
  const heardEarly: ReviewLabelDoc[] = [];
  let hear = (label: ReviewLabelDoc): void => void heardEarly.push(label);
  const labelFeed = await review.follow(
    (label) => hear(label),
    (err) =>
      log.warn({ err }, 'review label change feed interrupted; labels may be taught at the next start'),
  );
  const understanding = overrides.understanding ?? Understanding.load({ lessons: await review.lessons() });
  hear = (label) => teach(understanding, label);
  for (const label of heardEarly) hear(label);
  log.info({ trainingMillis: Math.round(understanding.trainingMillis) }, 'understanding models trained');
  const faq = new FaqDialog(kb, understanding, review);
  const mainDialog = new MainDialog(
    conversationState.createProperty<RouterMemory>('router'),
    conversations,
    understanding,
    {
      faq,
      escalation: new EscalationDialog(handoff, understanding, clock, review),
      feedback: new FeedbackDialog(feedback, understanding, review, handoff),
    },
    clock,
    config.WEBCHAT_BOT_NAME,
    review,
  );
  const bot: CustomerServiceBot = new CustomerServiceBot({
    conversationState,
    userState,
    mainDialog,
    faq,
    understanding,
    conversations,
    handoff,
    staff,
    privacy: new PrivacyGuard({ conversationState, data: customerData, log }),
    defaultLocale: config.DEFAULT_LOCALE,
    botName: config.WEBCHAT_BOT_NAME,
    clock,
    log,
  });
  adapter.onTurnError = (context, error) => bot.apologise(context, error);
  /**
   * A turn whose state save met a state another instance saved since it was read (possible only once this
   * turn's lease had run out) runs again on that newer state: the customer's message then counts after the
   * other turn, and neither turn's step is lost. Merging two dialog states is not possible in general, and
   * dropping either write would lose a step; the cost is that replies of the first run may be sent twice.
   */
  const runTurn = async (context: TurnContext, lease: Held): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await bot.run(context, lease);
        return;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= CONFLICT_RETRIES) throw err;
        log.warn(
          { conversationId: context.activity.conversation.id, attempt },
          'state changed meanwhile; turn re-run',
        );
        conversationState.forget(context);
        userState.forget(context);
      }
    }
  };
  // Turns of one conversation run one at a time, in order, whichever way and at whichever instance they arrive.
  const botLogic = (context: TurnContext): Promise<void> =>
    turns.run(
      context.activity.conversation.id,
      (lease) => runTurn(context, lease),
      () => bot.busy(context),
    );

  const sweeping = new Set<Promise<unknown>>();
  /** Runs a sweep on this instance unless another runs it; `stop()` waits for it. */
  const sweep = (name: string, work: () => Promise<number>): Promise<number> => {
    const running = turns.once(`sweep:${name}`, SWEEP_LEASE_MS, work).then((count) => count ?? 0);
    const tracked = running.finally(() => sweeping.delete(tracked)).catch(() => undefined);
    sweeping.add(tracked);
    return running;
  };

  /** The periodic work of the app, each step safe to run again at any time (also by tests and operators). */
  const sweeps: Sweeps = {
    expireCases: () => sweep('expireCases', () => handoff.expireOverdue()),
    surveyIdle: () =>
      config.SURVEY_INACTIVITY_MINUTES > 0
        ? sweep('surveyIdle', () =>
            surveyIdleConversations({
              conversations,
              handoverSince: (id, since) => handoff.handoverSince(id, since),
              customers,
              clock,
              log,
              idleMinutes: config.SURVEY_INACTIVITY_MINUTES,
            }),
          )
        : Promise.resolve(0),
    expireTokens: () => sweep('expireTokens', () => auth.expireDue()),
  };
  const timers = (['expireCases', 'surveyIdle', 'expireTokens'] as const).map((name) =>
    setInterval(() => {
      sweeps[name]().catch((err: unknown) => log.error({ err, sweep: name }, 'sweep failed'));
    }, SWEEP_INTERVAL_MS),
  );
  for (const timer of timers) timer.unref();

  const server = createHttpServer({
    name: 'customer-service-bot',
    maxBodyBytes: config.MAX_BODY_BYTES,
    log,
    hsts: config.NODE_ENV === 'production' && (config.PUBLIC_URL ?? '').startsWith('https://'),
  });

  let accepting = true;
  registerAgentRoutes(server, { auth, handoff, followups, log });
  const agentEvents = registerAgentEvents(server, { auth, events: staffEvents, presence, log });
  registerRatingRoutes(server, { auth, feedback, log });
  registerAdminRoutes(server, { auth, kb, understanding, log, clock });
  registerCustomerRoutes(server, { auth, data: customerData, log });
  registerReviewRoutes(server, { auth, review, understanding, log });
  registerSharedAssets(server, { log });
  registerAdminTexts(server, { log });
  const origin = (req: Request): string =>
    requestOrigin(req, { publicUrl: config.PUBLIC_URL, trust: config.TRUST_PROXY, fallback: baseUrl });
  registerWebChat(server, { config, origin, clock, log });
  const directLine =
    link && signingKey
      ? await registerDirectLine(server, {
          db,
          signingKey,
          adapter,
          botLogic,
          link,
          clock,
          log,
          botName: config.WEBCHAT_BOT_NAME,
          trustProxy: config.TRUST_PROXY,
          origin,
          handover: async (conversationId) => {
            const active = await handoff.activeCase(conversationId);
            if (!active) return 'none';
            return active.status === 'queued' ? 'waiting' : 'person';
          },
        })
      : undefined;

  server.post(
    '/api/messages',
    route(log, async (req: Request, res: Response) => {
      if (!accepting) throw AppError.unavailable('The bot is shutting down; try again shortly.');
      const activity: unknown = req.body;
      if (!isInboundActivity(activity)) {
        throw AppError.badRequest('The request is not a valid activity.', [inboundActivityProblem(activity)]);
      }
      const auth = req.header('authorization') ?? '';
      const response = await adapter.handle(auth, activity, botLogic).catch((err: unknown) => {
        if (err instanceof AuthenticationError)
          throw AppError.unauthorized('The request is not from a trusted channel.');
        throw err;
      });
      if (response) res.send(response.status, response.body);
      else res.send(200);
    }),
  );
  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.get(
    '/readyz',
    route(log, async (_req, res) => {
      try {
        await db.ping();
      } catch (err) {
        log.warn({ err }, 'database not ready');
        throw AppError.unavailable('The database is not reachable or cannot write.');
      }
      res.send(200, { status: 'ready', store: db.kind });
    }),
  );

  databaseUsers.set(db, (databaseUsers.get(db) ?? 0) + 1);
  return {
    server,
    adapter,
    bot,
    db,
    kb,
    conversations,
    auth,
    handoff,
    followups,
    feedback,
    understanding,
    sweeps,
    log,
    async start(port = config.PORT) {
      await new Promise<void>((resolve, reject) => {
        const failed = (err: NodeJS.ErrnoException): void => {
          reject(
            err.code === 'EADDRINUSE'
              ? new Error(
                  `port ${port} on ${config.HOST} is already in use (set PORT, or stop the other process)`,
                )
              : err,
          );
        };
        server.once('error', failed);
        server.listen(port, config.HOST, () => {
          server.off('error', failed);
          resolve();
        });
      });
      const actual = (server.server.address() as AddressInfo).port;
      baseUrl = publicUrl(config, actual);
      log.info({ url: baseUrl }, 'listening');
      return { url: baseUrl, port: actual };
    },
    async stop() {
      accepting = false;
      for (const timer of timers) clearInterval(timer);
      stopStaff();
      await directLine?.close();
      agentEvents.close();
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      server.server.closeIdleConnections();
      while (sweeping.size > 0) await Promise.all([...sweeping]);
      await handoff.idle();
      await turns.drain();
      await staff.idle();
      // Connections kept alive by the turns just finished would otherwise hold the close for seconds.
      server.server.closeIdleConnections();
      await closed;
      await staffEvents.close();
      await kb.close();
      await labelFeed.close();
      const users = (databaseUsers.get(db) ?? 1) - 1;
      databaseUsers.set(db, users);
      if (users === 0) await db.close();
    },
  };
}
