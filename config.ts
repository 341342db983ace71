import { z } from 'zod';
import { parseProxyTrust } from './core/clientAddress';
import { BusinessHours, isTimeZone } from './handoff/businessHours';
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_CLARIFY_THRESHOLD } from './knowledge/thresholds';
import { supportedLocales } from './language/words';

/**
 * The one schema of every environment variable the bot reads. `.env.example` mirrors it line by line.
 * Secrets have no default. `loadConfig` fails fast with a readable message listing every problem, each naming the
 * variable at fault.
 */
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const fraction = z.coerce.number().min(0).max(1);
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
/** Longest staff or admin token that signs in (server/auth.ts): a longer one is refused unread. */
export const MAX_TOKEN_CHARS = 512;
/** Fewest distinct characters a secret may have ("aaaa…" or "abcabc…" of any length is guessable). */
export const SECRET_MIN_DISTINCT_CHARACTERS = 10;
const unguessable = (value: string | undefined) =>
  value === undefined || new Set(value).size >= SECRET_MIN_DISTINCT_CHARACTERS;
const GUESSABLE = `looks guessable (fewer than ${SECRET_MIN_DISTINCT_CHARACTERS} different characters): use a random value, e.g. openssl rand -base64 32`;
/** A secret left as the deployment examples write it ("<at least 24 random characters, …>"): known to everyone. */
const notPlaceholder = (value: string | undefined) => value === undefined || !/^<.*>$/s.test(value);
const PLACEHOLDER = 'is still the example placeholder <…>: use a random value, e.g. openssl rand -base64 32';
/** A locale with a folder in locales/ (`also`: what else follows from it, added to the message). */
const locale = (also = '') =>
  z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be a locale folder name such as en, id, pl or nb')
    .refine((value) => supportedLocales().includes(value), {
      error: (issue) =>
        `no locale folder "${String(issue.input)}" in locales/ (there are ${supportedLocales().join(', ')})${also}`,
    });
/** Staff hours as BusinessHours reads them; its message names the rule at fault. */
const businessHours = z.string().superRefine((value, ctx) => {
  try {
    BusinessHours.parse(value, 'UTC');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
  }
});

/** The value of LOG_CONTENT_ACKNOWLEDGE that allows LOG_CONTENT=true in production. */
export const LOG_CONTENT_ACKNOWLEDGEMENT = 'i-understand-message-text-is-logged';

const fields = z.object({
  /** development | test | production. Production refuses to start without Bot Framework credentials. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** TCP port of the HTTP server. */
  PORT: int(0, 65535).default(3978),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Public base URL of this server. Unset: pages and links follow the host name each request came to (the bot reaches itself at http://localhost:PORT). */
  PUBLIC_URL: z.url().optional(),
  /** Proxies whose X-Forwarded-For names the client (rate limits): a hop count (1 = one proxy) or comma-separated IPs/CIDRs. Empty: none. */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseProxyTrust(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log what customers and staff write (redacted of card numbers, ids, passwords), for debugging. Off: only sizes. */
  LOG_CONTENT: bool.default(false),
  /** Must be "i-understand-message-text-is-logged" for LOG_CONTENT=true to start in production. */
  LOG_CONTENT_ACKNOWLEDGE: z.string().default(''),

  /** Bot Framework app registration (Azure Bot). Empty in local development only. */
  MicrosoftAppId: optionalSecret,
  /** Client secret of the app registration (MultiTenant or SingleTenant). */
  MicrosoftAppPassword: optionalSecret,
  /** MultiTenant | SingleTenant | UserAssignedMSI. */
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Tenant id; required for SingleTenant and UserAssignedMSI. */
  MicrosoftAppTenantId: optionalSecret,

  /** MongoDB connection string. Unset: the embedded store under DATA_DIR (single process only). */
  MONGODB_URI: optionalSecret,
  /** MongoDB database name. */
  MONGODB_DB: z.string().min(1).default('customer_service_bot'),
  /** Folder of the embedded store. */
  DATA_DIR: z.string().min(1).default('./data'),

  /** Locale used when neither the activity nor the user's preference names a supported one (a folder in locales/). */
  DEFAULT_LOCALE: locale(
    '; it is also the language of the Teams staff side, since STAFF_LOCALE follows it unless set',
  ).default('en'),
  /** Largest accepted request body in bytes; larger bodies get 413. */
  MAX_BODY_BYTES: int(1024, 50_000_000).default(1_000_000),

  /** First admin token (Bearer). At least 24 random characters (10 or more different ones). Required in production. */
  ADMIN_TOKEN: optionalSecret.pipe(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .max(MAX_TOKEN_CHARS, `must be at most ${MAX_TOKEN_CHARS} characters (no longer token signs in)`)
      .optional()
      .refine(unguessable, GUESSABLE)
      .refine(notPlaceholder, PLACEHOLDER)
      // Else it could never sign in: `Authorization: Bearer <token>` takes a token without spaces (server/auth.ts).
      .refine(
        (value) => value === undefined || !/\s/.test(value),
        'must not contain spaces: a Bearer header cannot carry them',
      ),
  ),

  /** FAQ: score at or above which the best entry is answered directly (not below FAQ_CLARIFY_THRESHOLD). Unset: the calibrated default. */
  FAQ_ANSWER_THRESHOLD: fraction.optional(),
  /** FAQ: score at or above which "Did you mean…" choices are offered. Unset: the calibrated default. */
  FAQ_CLARIFY_THRESHOLD: fraction.optional(),
  /** Load the demo knowledge base on first start when the store is empty. */
  FAQ_SEED_DEMO: bool.default(true),

  /** internal (staff console / Teams channel) | external (emit handoff.initiate for an agent hub). */
  HANDOFF_MODE: z.enum(['internal', 'external']).default('internal'),
  /** Staff hours, e.g. "Mon-Fri 08:00-18:00; Sat 10:00-14:00". Empty: always open. */
  BUSINESS_HOURS: businessHours.default(''),
  /** IANA time zone of BUSINESS_HOURS. */
  BUSINESS_TIMEZONE: z
    .string()
    .refine(isTimeZone, {
      error: (issue) => `unknown time zone "${String(issue.input)}" (use an IANA name such as Europe/Oslo)`,
    })
    .default('UTC'),
  /** Minutes a queued case may wait before the customer is offered to leave a message. */
  HANDOFF_QUEUE_TIMEOUT_MINUTES: int(1, 1440).default(10),
  /** Requests for a person (queued cases and messages left for staff) one client may make in 24 hours: a web chat client address (by TRUST_PROXY), a Teams account. 0: no bound. */
  HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: int(0, 10_000).default(10),
  /** Comma-separated AAD object ids allowed to type "set escalation channel" in Teams. Required for it in production; empty elsewhere: the first to set it, then members of its team. */
  STAFF_TEAMS_ADMINS: z.string().default(''),
  /** Comma-separated AAD object ids who may take, resolve and release cases in the Teams escalation channel (with STAFF_TEAMS_ADMINS). Empty: every member of the escalation channel's team. */
  STAFF_TEAMS_AGENTS: z.string().default(''),
  /** Language of the Teams staff side (replies and case cards, one per team). Unset: DEFAULT_LOCALE. */
  STAFF_LOCALE: locale().optional(),
  /** Turns of transcript kept with a case. */
  HANDOFF_TRANSCRIPT_TURNS: int(1, 500).default(30),

  /** Minutes of customer silence after which an open episode closes and the survey is sent (never in the middle of a hand-over). 0 disables. */
  SURVEY_INACTIVITY_MINUTES: int(0, 10080).default(30),
  /** Minutes within which a customer may change a rating. */
  RATING_CHANGE_WINDOW_MINUTES: int(0, 10080).default(60),
  /** Days rating comments are kept (scores are kept indefinitely). */
  COMMENT_RETENTION_DAYS: int(1, 3650).default(365),
  /** Days conversation transcripts (case messages) are kept. */
  TRANSCRIPT_RETENTION_DAYS: int(1, 3650).default(90),

  /** Azure Direct Line secret. Unset: the embedded Direct Line serves Web Chat. Never sent to browsers. */
  DIRECT_LINE_SECRET: optionalSecret,
  /**
   * Key the embedded Direct Line signs its tokens with, the same on every instance (at least 32 characters).
   * Required in production unless DIRECT_LINE_SECRET is set. Unset elsewhere: a random key generated by the
   * first start and kept in the database, which every instance reads.
   */
  DIRECT_LINE_SIGNING_KEY: optionalSecret.pipe(
    z
      .string()
      .min(32, 'must be at least 32 characters')
      .optional()
      .refine(unguessable, GUESSABLE)
      .refine(notPlaceholder, PLACEHOLDER),
  ),
  /** Comma-separated origins allowed to embed the web chat and request tokens. */
  DIRECT_LINE_TRUSTED_ORIGINS: z.string().default(''),
  /** Name of the bot shown in the web chat. */
  WEBCHAT_BOT_NAME: z.string().min(1).default('Support'),
  /** Avatar image URL (or same-origin path) of the bot in the web chat. */
  WEBCHAT_AVATAR_URL: z.string().default(''),
  /** Accent colour of the web chat (#rrggbb). */
  WEBCHAT_ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must look like #0a5fd8')
    .default('#0a5fd8'),
});

/**
 * Variables that may be present and empty, meaning "not set" (their .env.example lines are empty): the optional
 * ones, secrets and lists. Every other variable needs a value when it is there at all: an empty one is refused
 * (most often a value cut at an unquoted #, see loadConfig).
 */
export const EMPTY_MEANS_UNSET: ReadonlySet<keyof typeof fields.shape> = new Set([
  'PUBLIC_URL',
  'TRUST_PROXY',
  'LOG_CONTENT_ACKNOWLEDGE',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'MONGODB_URI',
  'ADMIN_TOKEN',
  'FAQ_ANSWER_THRESHOLD',
  'FAQ_CLARIFY_THRESHOLD',
  'BUSINESS_HOURS',
  'STAFF_TEAMS_ADMINS',
  'STAFF_TEAMS_AGENTS',
  'STAFF_LOCALE',
  'DIRECT_LINE_SECRET',
  'DIRECT_LINE_SIGNING_KEY',
  'DIRECT_LINE_TRUSTED_ORIGINS',
  'WEBCHAT_AVATAR_URL',
]);

export const configSchema = fields
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.MicrosoftAppType === 'SingleTenant' || c.MicrosoftAppType === 'UserAssignedMSI') {
      if (!c.MicrosoftAppTenantId)
        issue('MicrosoftAppTenantId', `required when MicrosoftAppType=${c.MicrosoftAppType}`);
    }
    if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      issue('MicrosoftAppPassword', 'required when MicrosoftAppId is set (MultiTenant or SingleTenant)');
    }
    // Between the two thresholds the bot offers "Did you mean…" choices: the answer threshold cannot be below it.
    const answer = c.FAQ_ANSWER_THRESHOLD ?? DEFAULT_ANSWER_THRESHOLD;
    const clarify = c.FAQ_CLARIFY_THRESHOLD ?? DEFAULT_CLARIFY_THRESHOLD;
    if (answer < clarify) {
      const why = 'the score to answer directly must be at least the score to offer "Did you mean…" choices';
      if (c.FAQ_ANSWER_THRESHOLD === undefined)
        issue(
          'FAQ_CLARIFY_THRESHOLD',
          `${clarify} is above FAQ_ANSWER_THRESHOLD (not set: the default ${answer}); ${why}`,
        );
      else
        issue(
          'FAQ_ANSWER_THRESHOLD',
          `${answer} is below FAQ_CLARIFY_THRESHOLD (${c.FAQ_CLARIFY_THRESHOLD === undefined ? `not set: the default ${clarify}` : clarify}); ${why}`,
        );
    }
    if (c.NODE_ENV === 'production') {
      // An empty app id silently disables inbound JWT validation: never allow that in production.
      if (!c.MicrosoftAppId)
        issue('MicrosoftAppId', 'required in production (without it nobody checks who calls /api/messages)');
      if (!c.ADMIN_TOKEN) issue('ADMIN_TOKEN', 'required in production');
      // Else a generated key would sit in the database, and whoever reads it could mint web chat tokens.
      if (!c.DIRECT_LINE_SECRET && !c.DIRECT_LINE_SIGNING_KEY)
        issue(
          'DIRECT_LINE_SIGNING_KEY',
          'required in production unless DIRECT_LINE_SECRET is set (Azure Direct Line)',
        );
      if (c.LOG_CONTENT && c.LOG_CONTENT_ACKNOWLEDGE !== LOG_CONTENT_ACKNOWLEDGEMENT)
        issue(
          'LOG_CONTENT',
          `in production only with LOG_CONTENT_ACKNOWLEDGE=${LOG_CONTENT_ACKNOWLEDGEMENT}`,
        );
    }
  })
  .transform((c) => ({
    ...c,
    FAQ_ANSWER_THRESHOLD: c.FAQ_ANSWER_THRESHOLD ?? DEFAULT_ANSWER_THRESHOLD,
    FAQ_CLARIFY_THRESHOLD: c.FAQ_CLARIFY_THRESHOLD ?? DEFAULT_CLARIFY_THRESHOLD,
    STAFF_LOCALE: c.STAFF_LOCALE ?? c.DEFAULT_LOCALE,
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment (process.env by default); throws ConfigError naming every bad variable. An empty value
 * means "not set" for the variables of EMPTY_MEANS_UNSET (as in a copied .env.example: the default applies); any
 * other variable that is present but empty is refused, with the likely cause: in a .env file an unquoted # starts a
 * comment, so `WEBCHAT_ACCENT_COLOR=#ff0000` reads as empty.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blank = ([, value]: [string, string | undefined]) => value === undefined || value.trim() === '';
  const set = Object.fromEntries(Object.entries(env).filter((entry) => !blank(entry)));
  const empty = Object.keys(fields.shape)
    .filter((name) => !EMPTY_MEANS_UNSET.has(name as keyof typeof fields.shape))
    .filter((name) => name in env && blank([name, env[name]]))
    .map(
      (name) =>
        `${name}: present but empty, and it needs a value (leave the line out for the default). In a .env file, quote a value with a # (${name}="#…"): unquoted, the # starts a comment and the value is cut there.`,
    );
  const result = configSchema.safeParse(set);
  const problems = [
    ...empty,
    ...(result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

export function publicUrl(config: Config, port: number): string {
  return (config.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
}
