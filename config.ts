import { z } from 'zod';
import { parseProxyTrust } from './core/clientAddress';
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_CLARIFY_THRESHOLD } from './knowledge/thresholds';

/**
 * The one schema of every environment variable the bot reads. `.env.example` mirrors it line by line.
 * Secrets have no default. `loadConfig` fails fast with a readable message listing every problem.
 */
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const fraction = z.coerce.number().min(0).max(1);
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
/** Fewest distinct characters a secret may have ("aaaa…" or "abcabc…" of any length is guessable). */
export const SECRET_MIN_DISTINCT_CHARACTERS = 10;
const unguessable = (value: string | undefined) =>
  value === undefined || new Set(value).size >= SECRET_MIN_DISTINCT_CHARACTERS;
const GUESSABLE = `looks guessable (fewer than ${SECRET_MIN_DISTINCT_CHARACTERS} different characters): use a random value, e.g. openssl rand -base64 32`;
const locale = z.string().regex(/^[a-z]{2,3}$/, 'must be a locale folder name such as en, id, pl or nb');

/** The value of LOG_CONTENT_ACKNOWLEDGE that allows LOG_CONTENT=true in production. */
export const LOG_CONTENT_ACKNOWLEDGEMENT = 'i-understand-message-text-is-logged';

export const configSchema = z
  .object({
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
    DEFAULT_LOCALE: locale.default('en'),
    /** Largest accepted request body in bytes; larger bodies get 413. */
    MAX_BODY_BYTES: int(1024, 50_000_000).default(1_000_000),

    /** First admin token (Bearer). At least 24 random characters (10 or more different ones). Required in production. */
    ADMIN_TOKEN: optionalSecret.pipe(
      z.string().min(24, 'must be at least 24 characters').optional().refine(unguessable, GUESSABLE),
    ),

    /** FAQ: score at or above which the best entry is answered directly. */
    FAQ_ANSWER_THRESHOLD: fraction.default(DEFAULT_ANSWER_THRESHOLD),
    /** FAQ: score at or above which "Did you mean…" choices are offered. */
    FAQ_CLARIFY_THRESHOLD: fraction.default(DEFAULT_CLARIFY_THRESHOLD),
    /** Load the demo knowledge base on first start when the store is empty. */
    FAQ_SEED_DEMO: bool.default(true),

    /** internal (staff console / Teams channel) | external (emit handoff.initiate for an agent hub). */
    HANDOFF_MODE: z.enum(['internal', 'external']).default('internal'),
    /** Staff hours, e.g. "Mon-Fri 08:00-18:00; Sat 10:00-14:00". Empty: always open. */
    BUSINESS_HOURS: z.string().default(''),
    /** IANA time zone of BUSINESS_HOURS. */
    BUSINESS_TIMEZONE: z.string().min(1).default('UTC'),
    /** Minutes a queued case may wait before the customer is offered to leave a message. */
    HANDOFF_QUEUE_TIMEOUT_MINUTES: int(1, 1440).default(10),
    /** Comma-separated AAD object ids allowed to type "set escalation channel" in Teams. Required for it in production; empty elsewhere: the first to set it, then members of its team. */
    STAFF_TEAMS_ADMINS: z.string().default(''),
    /** Comma-separated AAD object ids who may take, resolve and release cases in the Teams escalation channel (with STAFF_TEAMS_ADMINS). Empty: every member of the escalation channel's team. */
    STAFF_TEAMS_AGENTS: z.string().default(''),
    /** Language of the Teams staff side (replies and case cards, one per team). Unset: DEFAULT_LOCALE. */
    STAFF_LOCALE: locale.optional(),
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
      z.string().min(32, 'must be at least 32 characters').optional().refine(unguessable, GUESSABLE),
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
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.MicrosoftAppType === 'SingleTenant' || c.MicrosoftAppType === 'UserAssignedMSI') {
      if (!c.MicrosoftAppTenantId)
        issue('MicrosoftAppTenantId', `required when MicrosoftAppType=${c.MicrosoftAppType}`);
    }
    if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      issue('MicrosoftAppPassword', 'required when MicrosoftAppId is set (MultiTenant or SingleTenant)');
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
  .transform((c) => ({ ...c, STAFF_LOCALE: c.STAFF_LOCALE ?? c.DEFAULT_LOCALE }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty value (as in a copied .env.example) means "not set": the default applies.
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = configSchema.safeParse(set);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  return result.data;
}

export function publicUrl(config: Config, port: number): string {
  return (config.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
}
