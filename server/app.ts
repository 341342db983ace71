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
import { ConfigError, publicUrl, type Config } from '../config';
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
import { supportedLocales } from '../language/words';
import { ReviewLog } from '../review/log';
import { FaqMatcher } from '../knowledge/matcher';
import { KnowledgeBase } from '../knowledge/store';
import { DatabaseStorage, JsonBotState } from '../storage/botStateStore';
import { ConversationStore } from '../storage/conversations';
import { openDatabase } from '../storage/index';
import type { Database } from '../storage/port';
import { createAdapter, type BotAdapter } from './adapter';
import { registerAdminRoutes } from './adminRoutes';
import { registerAgentEvents } from './agentEvents';
import { registerAgentRoutes } from './agentRoutes';
import { StaffAuth } from './auth';
import { DirectLineLink } from './directline/link';
import { registerDirectLine } from './directline/routes';
import { registerRatingRoutes } from './ratingRoutes';
import { registerReviewRoutes } from './reviewRoutes';
import { registerWebChat } from './webchatRoutes';
import { createHttpServer, requestOrigin, route } from './http';

export interface AppOverrides {
  /** A database to use instead of opening the configured one (tests: in-memory embedded store). */
  db?: Database;
  clock?: Clock;
  log?: Logger;
  /** Trained understanding models to use instead of training them at start (tests share one). */
  understanding?: Understanding;
}

/** How often the sweeps run. */
const SWEEP_INTERVAL_MS = 60_000;

export interface Sweeps {
  /** Queued cases nobody took in time become leave-a-message tickets. */
  expireCases(): Promise<number>;
  /** Customers silent for SURVEY_INACTIVITY_MINUTES get the survey (once per episode). */
  surveyIdle(): Promise<number>;
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
  /** Stops accepting, finishes in-flight turns, closes the database. */
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
  const field = (path: string): unknown =>
    path.split('.').reduce<unknown>((object, key) => (isRecord(object) ? object[key] : undefined), value);
  for (const [path, max] of REQUIRED_FIELDS) {
    const v = field(path);
    if (typeof v !== 'string' || v === '' || v.length > max)
      return { path, message: `An activity needs ${path} as a string of 1 to ${max} characters.` };
  }
  for (const [path, max] of STRING_FIELDS) {
    const v = field(path);
    if (v !== undefined && (typeof v !== 'string' || v.length > max))
      return { path, message: `${path} must be a string of at most ${max} characters.` };
  }
  return undefined;
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
  const missingLocales = (['DEFAULT_LOCALE', 'STAFF_LOCALE'] as const).filter(
    (name) => !supportedLocales().includes(config[name]),
  );
  if (missingLocales.length > 0) {
    throw new ConfigError(
      missingLocales.map((name) => `${name}: no locale folder "${config[name]}" in locales/`),
    );
  }
  if ((await kb.load()) === 0 && config.FAQ_SEED_DEMO) {
    log.info({ entries: await seedDemo(kb) }, 'demo knowledge base loaded');
  }
  const auth = new StaffAuth(db, clock, config.ADMIN_TOKEN);

  const appId = config.MicrosoftAppId ?? '';
  // The public URL is known for sure only once the server listens (port 0 in tests).
  let baseUrl = publicUrl(config, config.PORT);
  const link = config.DIRECT_LINE_SECRET ? undefined : new DirectLineLink(() => baseUrl, appId);
  const adapter = createAdapter(config, link);
  const queue = new KeyedQueue();
  const proactive = new ProactiveMessenger(adapter, appId, conversations, queue, log);
  const storage = new DatabaseStorage(db, { clock, days: config.TRANSCRIPT_RETENTION_DAYS });
  const customerData = new CustomerData(db, clock);
  const conversationState = JsonBotState.conversation(storage);
  const userState = JsonBotState.user(storage);

  // The bot is created last, but services reach customers through it (surveys in proactive turns).
  const customers = new ProactiveCustomerChannel(
    proactive,
    (context: TurnContext, survey: SurveyRequest): Promise<void> => bot.runProactive(context, { survey }),
  );
  const followups = new FollowupService({
    db,
    clock,
    conversations,
    log,
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS,
  });
  const presence = new StaffPresence(clock);
  const handoff = new HandoffService({ db, clock, config, conversations, customers, followups, presence, log });
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
    agents: idList(config.STAFF_TEAMS_AGENTS),
  });
  const stopStaff = staff.start();

  const review = new ReviewLog(db, clock, config.TRANSCRIPT_RETENTION_DAYS, log);
  // The labels admins gave in "Messages to review" are taught again at every start.
  const understanding = overrides.understanding ?? Understanding.load({ lessons: await review.lessons() });
  log.info({ trainingMillis: Math.round(understanding.trainingMillis) }, 'understanding models trained');
  const feedbackDialog = new FeedbackDialog(feedback, understanding, review);
  const mainDialog = new MainDialog(
    conversationState.createProperty<RouterMemory>('router'),
    conversations,
    understanding,
    {
      faq: new FaqDialog(kb, understanding, review),
      escalation: new EscalationDialog(handoff, understanding, clock, review),
      feedback: feedbackDialog,
    },
    (context, action) => feedbackDialog.onStrayAction(context, action),
    review,
  );
  const bot: CustomerServiceBot = new CustomerServiceBot({
    conversationState,
    userState,
    mainDialog,
    conversations,
    handoff,
    staff,
    privacy: new PrivacyGuard({ conversationState, data: customerData, log }),
    defaultLocale: config.DEFAULT_LOCALE,
    botName: config.WEBCHAT_BOT_NAME,
    log,
  });
  adapter.onTurnError = (context, error) => bot.apologise(context, error);
  // Turns of one conversation run one at a time, in order, whichever way they arrive.
  const botLogic = (context: TurnContext): Promise<void> =>
    queue.run(context.activity.conversation.id, () => bot.run(context));

  /** The periodic work of the app, each step safe to run again at any time (also by tests and operators). */
  const sweeps: Sweeps = {
    expireCases: () => handoff.expireOverdue(),
    surveyIdle: () =>
      config.SURVEY_INACTIVITY_MINUTES > 0
        ? surveyIdleConversations({
            conversations,
            activeCase: (id) => handoff.activeCase(id),
            customers,
            clock,
            log,
            idleMinutes: config.SURVEY_INACTIVITY_MINUTES,
          })
        : Promise.resolve(0),
  };
  const timers = (['expireCases', 'surveyIdle'] as const).map((name) =>
    setInterval(() => {
      sweeps[name]().catch((err: unknown) => log.error({ err, sweep: name }, 'sweep failed'));
    }, SWEEP_INTERVAL_MS),
  );
  for (const timer of timers) timer.unref();

  const server = createHttpServer({ name: 'customer-service-bot', maxBodyBytes: config.MAX_BODY_BYTES, log });

  let accepting = true;
  registerAgentRoutes(server, { auth, handoff, followups, log });
  const agentEvents = registerAgentEvents(server, { auth, handoff, followups, presence, log });
  registerRatingRoutes(server, { auth, feedback, log });
  registerAdminRoutes(server, { auth, kb, log, clock });
  registerCustomerRoutes(server, { auth, data: customerData, log });
  registerReviewRoutes(server, { auth, review, understanding, log });
  const origin = (req: Request): string =>
    requestOrigin(req, { publicUrl: config.PUBLIC_URL, trust: config.TRUST_PROXY, fallback: baseUrl });
  registerWebChat(server, { config, origin, clock, log });
  const directLine = link
    ? registerDirectLine(server, {
        adapter,
        botLogic,
        link,
        clock,
        log,
        botName: config.WEBCHAT_BOT_NAME,
        trustProxy: config.TRUST_PROXY,
        origin,
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
      directLine?.close();
      agentEvents.close();
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      server.server.closeIdleConnections();
      await queue.drain();
      await staff.idle();
      // Connections kept alive by the turns just finished would otherwise hold the close for seconds.
      server.server.closeIdleConnections();
      await closed;
      await db.close();
    },
  };
}
