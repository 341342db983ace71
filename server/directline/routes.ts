import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity, ChannelAccount, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { ProxyTrust } from '../../core/clientAddress';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { setClientAddress } from '../../dialogs/contracts';
import { baseLocale } from '../../language/words';
import { redactText, renderRedactions } from '../../privacy/redact';
import type { Database } from '../../storage/port';
import type { BotAdapter } from '../adapter';
import { bearerToken } from '../auth';
import { parseBody, requestAddress, route } from '../http';
import {
  ConversationHub,
  isRevoked,
  type ActivitySet,
  type DirectLineConversation,
  type HubLimits,
  type StoredActivity,
} from './hub';
import { BOT_KEY_HEADER, SERVICE_PATH, type DirectLineLink } from './link';
import { RateLimiter } from '../rateLimiter';
import { DirectLineTokens, type TokenClaims } from './tokens';

/** The channel id of embedded Direct Line activities. */
export const CHANNEL_ID = 'webchat';
export const DIRECT_LINE_PATH = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

export interface DirectLineLimits extends HubLimits {
  /** Lifetime of a conversation token in seconds (Azure's is 30 minutes; Web Chat refreshes halfway). */
  tokenLifetimeSeconds: number;
  /** New conversations per minute per client address. */
  startsPerMinutePerAddress: number;
  /** Requests per minute per conversation (posts, polls, refreshes, reconnects). */
  requestsPerMinutePerConversation: number;
  /**
   * Activities per minute per client address, over all its conversations: each one is a bot turn, and the limits
   * per conversation alone would let an address that keeps starting conversations send ever more of them.
   */
  activitiesPerMinutePerAddress: number;
  /** Largest activity a client may post, in bytes of JSON (the app-wide body limit applies first). */
  maxClientActivityBytes: number;
  /** Largest activity the bot may send, in bytes of JSON. */
  maxBotActivityBytes: number;
  /** Open WebSocket streams per conversation on one instance. */
  maxStreamsPerConversation: number;
  /** Open WebSocket streams per client address (an IPv6 client: per /64) on one instance. */
  maxStreamsPerAddress: number;
  /** How long a stream request may take to be checked and upgraded before its connection is dropped. */
  upgradeTimeoutMs: number;
  /** How often an open stream is pinged; one that has not answered the last ping by the next is dropped. */
  pingIntervalMs: number;
}

export const defaultDirectLineLimits: DirectLineLimits = {
  maxActivitiesPerConversation: 200,
  activityRetentionMs: 24 * 60 * 60 * 1000,
  conversationIdleMs: 24 * 60 * 60 * 1000,
  tokenLifetimeSeconds: 30 * 60,
  startsPerMinutePerAddress: 30,
  requestsPerMinutePerConversation: 120,
  activitiesPerMinutePerAddress: 300,
  maxClientActivityBytes: 64 * 1024,
  maxBotActivityBytes: 512 * 1024,
  maxStreamsPerConversation: 4,
  maxStreamsPerAddress: 20,
  upgradeTimeoutMs: 10_000,
  pingIntervalMs: 30_000,
};

export interface DirectLineDeps {
  /** Where conversations, activities and revoked tokens are kept (shared by every instance). */
  db: Database;
  /** The key every instance signs tokens with (sharedSigningKey). */
  signingKey: Buffer;
  adapter: BotAdapter;
  botLogic: (context: TurnContext) => Promise<void>;
  link: DirectLineLink;
  clock: Clock;
  log: Logger;
  /** The bot's display name on its activities (WEBCHAT_BOT_NAME). */
  botName: string;
  limits?: Partial<DirectLineLimits>;
  /**
   * The origin the request's client reached the server at (see requestOrigin), for the stream URLs handed
   * out; default: the service URL's.
   */
  origin?: (req: Request) => string;
  /** TRUST_PROXY: which X-Forwarded-For hop is the client whose new conversations are limited (default: none). */
  trustProxy?: ProxyTrust;
  /** Where the conversation's hand-over to a person stands (see Handover); without it, always `none`. */
  handover?: (conversationId: string) => Promise<Handover>;
}

/**
 * A conversation's hand-over to a person, for the web chat page, which asks before the customer leaves while it
 * is not `none`: `waiting` (a request is queued) or `person` (someone is in the chat).
 */
export type Handover = 'none' | 'waiting' | 'person';

/** The running embedded Direct Line. */
export interface EmbeddedDirectLine {
  /** Closes this instance's WebSocket streams and stops following the database (shutdown). */
  close(): Promise<void>;
}

/**
 * The longest message text a client may post, in UTF-16 code units (what a browser's `maxlength` counts): the
 * web chat page stops its send box here and tells the customer why (see /webchat/config.json).
 */
export const MAX_MESSAGE_CHARACTERS = 10_000;

const text = (max: number) => z.string().max(max);
const startBody = z
  .object({
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/)
      .optional(),
  })
  .loose()
  .optional();
const clientActivity = z.object({
  type: z.enum(['message', 'event', 'typing', 'endOfConversation']),
  text: text(MAX_MESSAGE_CHARACTERS).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/)
    .optional(),
  localTimezone: text(64).optional(),
  localTimestamp: text(64)
    .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date and time')
    .optional(),
  name: text(256).optional(),
  value: z.unknown().optional(),
  replyToId: text(256).optional(),
  from: z
    .object({ name: text(256).optional() })
    .loose()
    .optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  attachments: z
    .array(
      z.object({
        contentType: text(256),
        contentUrl: text(2048).optional(),
        content: z.unknown().optional(),
        name: text(256).optional(),
      }),
    )
    .max(10)
    .optional(),
  entities: z
    .array(z.object({ type: text(256) }).loose())
    .max(20)
    .optional(),
});
const botActivity = z.object({ type: z.string().min(1).max(64) }).loose();
type BotActivity = z.infer<typeof botActivity>;

/**
 * The embedded Direct Line 3.0: what Web Chat (DirectLineJS) uses, served by the bot's own server.
 *
 * Client side (`/v3/directline/…`, Bearer token bound to one conversation): tokens/generate, conversations
 * (start / reconnect), tokens/refresh, activities (post / poll with watermark) and the WebSocket stream.
 * Client activities go to the bot in-process through `adapter.handle` with the link's credential-less
 * connector; the bot's replies come back over HTTP to the bot side (`/v3/directline/bot/v3/conversations/…`,
 * the Bot Connector API), which only the bot can call (see DirectLineLink).
 *
 * Every instance serves every conversation: tokens are signed with the shared key, conversations, activities
 * and revoked tokens are in the database (ConversationHub), and streams follow its change feed.
 */
export async function registerDirectLine(server: Server, deps: DirectLineDeps): Promise<EmbeddedDirectLine> {
  const limits = { ...defaultDirectLineLimits, ...deps.limits };
  const { adapter, botLogic, link, clock, log } = deps;
  const hub = new ConversationHub(deps.db, clock, limits, log);
  await hub.follow();
  const tokens = new DirectLineTokens(deps.signingKey, clock, limits.tokenLifetimeSeconds);
  const starts = new RateLimiter(clock, limits.startsPerMinutePerAddress);
  const requests = new RateLimiter(clock, limits.requestsPerMinutePerConversation);
  const activities = new RateLimiter(clock, limits.activitiesPerMinutePerAddress);
  const bot = (): ChannelAccount => ({ id: link.appId || 'bot', name: deps.botName, role: 'bot' });
  const user = (conversation: DirectLineConversation): ChannelAccount => ({
    id: conversation.userId,
    name: '',
    role: 'user',
  });

  /** The client of a request, as the limits per address key it (TRUST_PROXY). */
  const addressOf = (req: IncomingMessage): string =>
    requestAddress(req, deps.trustProxy ?? { kind: 'none' });

  const limited = (res: Response): AppError => {
    res.header('Retry-After', '10');
    return AppError.tooManyRequests();
  };

  /** A new conversation for an anonymous client, limited per address. */
  const startNew = (req: Request, res: Response): Promise<DirectLineConversation> => {
    if (!starts.take(addressOf(req))) throw limited(res);
    return hub.create(`dl_${randomBytes(12).toString('base64url')}`);
  };

  /**
   * The conversation of the request's Bearer token and the token's claims: 401 without a valid token, 403
   * expired, revoked (replaced by a refresh, or used to end the conversation), or another conversation's.
   */
  const authorized = async (
    req: Request,
    res: Response,
    conversationId?: string,
  ): Promise<{ conversation: DirectLineConversation; claims: TokenClaims }> => {
    const token = bearerToken(req);
    if (!token) throw AppError.unauthorized('A Direct Line token is required.');
    const verdict = tokens.verify(token, 'conversation');
    if (!verdict.ok) {
      if (verdict.reason === 'expired') throw AppError.forbidden('The Direct Line token has expired.');
      throw AppError.unauthorized('The Direct Line token is not valid.');
    }
    const { claims } = verdict;
    if (conversationId !== undefined && claims.conv !== conversationId) {
      throw AppError.forbidden('This token belongs to another conversation.');
    }
    const conversation = await hub.get(claims.conv);
    if (!conversation) throw AppError.notFound('The conversation');
    if (isRevoked(conversation, claims.jti, clock.now().getTime())) {
      throw AppError.forbidden('The Direct Line token was revoked (refreshed, or its conversation ended).');
    }
    if (!requests.take(conversation.id)) throw limited(res);
    return { conversation, claims };
  };
  const authorize = async (
    req: Request,
    res: Response,
    conversationId?: string,
  ): Promise<DirectLineConversation> => (await authorized(req, res, conversationId)).conversation;

  /**
   * The request's token stops working now on every instance, and the streams opened with it end: when a refresh
   * replaces it, and when its holder ends the conversation.
   */
  const revoke = (conversation: DirectLineConversation, claims: TokenClaims): Promise<void> =>
    hub.revoke(conversation, claims.jti, claims.exp * 1000);

  /** A new conversation token; it is the parent of the stream URL given with it when the request had none. */
  const grant = (conversation: DirectLineConversation) => {
    const issued = tokens.issue(conversation.id, conversation.userId);
    return {
      body: { conversationId: conversation.id, token: issued.token, expires_in: limits.tokenLifetimeSeconds },
      claims: issued.claims,
    };
  };

  /**
   * The WebSocket URL of a conversation, with a short-lived stream token belonging to the conversation token
   * `parent` (the request's token): refreshing that token ends the stream, and so does its expiry.
   */
  const streamUrl = (
    req: Request,
    conversation: DirectLineConversation,
    parent: TokenClaims,
    watermark?: string,
  ): string => {
    const url = new URL(
      `${DIRECT_LINE_PATH}/conversations/${conversation.id}/stream`,
      deps.origin?.(req) ?? link.serviceUrl,
    );
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('t', tokens.issue(conversation.id, conversation.userId, parent).token);
    if (watermark) url.searchParams.set('watermark', watermark);
    return url.toString();
  };

  /**
   * Runs one bot turn in-process for the client of `req` (its address noted for the bot: setClientAddress); a
   * failing bot is a 502 for the client, never an internal message.
   */
  const toBot = async (req: Request, activity: Activity): Promise<void> => {
    const address = addressOf(req);
    try {
      await adapter.handle(link.authentication(), activity, (context) => {
        setClientAddress(context, address);
        return botLogic(context);
      });
    } catch (err) {
      log.error(
        { err, conversationId: activity.conversation.id },
        'direct line: the bot failed on an activity',
      );
      throw new AppError(502, 'bot_error', 'The bot could not handle that activity. Please try again.');
    }
  };

  const inbound = (conversation: DirectLineConversation, fields: Partial<Activity>): Activity => ({
    text: '',
    label: '',
    valueType: '',
    listenFor: [],
    callerId: '',
    localTimezone: '',
    ...fields,
    type: fields.type ?? 'event',
    channelId: CHANNEL_ID,
    serviceUrl: link.serviceUrl,
    from: user(conversation),
    recipient: bot(),
    conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
    locale: fields.locale ?? conversation.locale,
  });

  // ---- client side -------------------------------------------------------------------------------------

  server.post(
    `${DIRECT_LINE_PATH}/tokens/generate`,
    route(log, async (req, res) => {
      res.header('Cache-Control', 'no-store');
      res.send(200, grant(await startNew(req, res)).body);
    }),
  );

  server.post(
    `${DIRECT_LINE_PATH}/tokens/refresh`,
    route(log, async (req, res) => {
      const { conversation, claims } = await authorized(req, res);
      await revoke(conversation, claims);
      res.header('Cache-Control', 'no-store');
      res.send(200, grant(conversation).body);
    }),
  );

  // Start a conversation: with a token from tokens/generate (Web Chat), or anonymously (limited per address).
  server.post(
    `${DIRECT_LINE_PATH}/conversations`,
    route(log, async (req, res) => {
      const body = parseBody(startBody, req.body ?? undefined);
      const request = req.header('authorization') ? await authorized(req, res) : undefined;
      const conversation = request?.conversation ?? (await startNew(req, res));
      // Started once, whichever instance gets the first start.
      if (!conversation.started && (await hub.markStarted(conversation, body?.locale))) {
        await toBot(
          req,
          inbound(conversation, {
            locale: body?.locale,
            type: 'conversationUpdate',
            id: randomBytes(8).toString('hex'),
            timestamp: clock.now(),
            membersAdded: [bot(), user(conversation)],
          }),
        );
      }
      res.header('Cache-Control', 'no-store');
      const granted = grant(conversation);
      const parent = request?.claims ?? granted.claims;
      res.send(201, { ...granted.body, streamUrl: streamUrl(req, conversation, parent) });
    }),
  );

  // Reconnect: a fresh token and streamUrl for the same conversation.
  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId`,
    route(log, async (req, res) => {
      const { conversation, claims } = await authorized(req, res, param(req.params, 'conversationId'));
      const watermark = new URLSearchParams(req.getQuery()).get('watermark') ?? undefined;
      res.header('Cache-Control', 'no-store');
      res.send(200, {
        ...grant(conversation).body,
        streamUrl: streamUrl(req, conversation, claims, watermark),
      });
    }),
  );

  // A client activity to the bot. `endOfConversation` (Web Chat's "Start a new conversation") also revokes the
  // token it was sent with, whatever the bot made of it: only its holder can end its use.
  server.post(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    route(log, async (req, res) => {
      const { conversation, claims } = await authorized(req, res, param(req.params, 'conversationId'));
      if (!activities.take(addressOf(req))) throw limited(res);
      if (jsonBytes(req.body) > limits.maxClientActivityBytes)
        throw AppError.tooLarge(limits.maxClientActivityBytes);
      const { from, ...fields } = parseBody(clientActivity, req.body);
      // What the web chat shows and the database keeps (24 hours) has card numbers, IBANs, national ids and
      // inline passwords removed, as the customer is told; the bot gets the words as typed and screens them
      // itself (bots/privacyGuard.ts), with what it knows of the conversation.
      const shown =
        fields.text === undefined
          ? {}
          : {
              text: renderRedactions(
                redactText(fields.text),
                baseLocale(fields.locale ?? conversation.locale),
              ),
            };
      const echo = await hub.append(conversation, {
        ...fields,
        ...shown,
        channelId: CHANNEL_ID,
        from: { ...user(conversation), name: from?.name ?? '' },
        recipient: bot(),
        conversation: { id: conversation.id },
      });
      const { localTimestamp, ...rest } = fields;
      try {
        await toBot(req, {
          ...inbound(conversation, rest),
          ...(localTimestamp === undefined ? {} : { localTimestamp: new Date(localTimestamp) }),
          id: echo.id,
          timestamp: new Date(echo.timestamp),
          from: { ...user(conversation), name: from?.name ?? '' },
        });
      } finally {
        if (fields.type === 'endOfConversation') await revoke(conversation, claims);
      }
      res.send(200, { id: echo.id });
    }),
  );

  // Not Direct Line's: where the hand-over stands, for the conversation's own token only ({handover}, see Handover).
  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/handover`,
    route(log, async (req, res) => {
      const conversation = await authorize(req, res, param(req.params, 'conversationId'));
      res.header('Cache-Control', 'no-store');
      res.send(200, { handover: deps.handover ? await deps.handover(conversation.id) : 'none' });
    }),
  );

  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    route(log, async (req, res) => {
      const conversation = await authorize(req, res, param(req.params, 'conversationId'));
      const watermark = new URLSearchParams(req.getQuery()).get('watermark') ?? undefined;
      res.header('Cache-Control', 'no-store');
      res.send(200, await hub.since(conversation, watermark));
    }),
  );

  // ---- bot side (the Bot Connector API the bot's ConnectorClient calls) ----------------------------------

  const botSide = `${SERVICE_PATH}/v3/conversations/:conversationId`;

  /** Only the bot, holding the shared key, may call the bot side. */
  const fromBot = async (req: Request): Promise<DirectLineConversation> => {
    const key = req.header(BOT_KEY_HEADER);
    if (!key) throw AppError.unauthorized('Only the bot may call this endpoint.');
    if (!link.accepts(key)) throw AppError.forbidden('Only the bot may call this endpoint.');
    const conversation = await hub.get(param(req.params, 'conversationId'));
    if (!conversation) throw AppError.notFound('The conversation');
    return conversation;
  };

  const botPayload = (req: Request): BotActivity => {
    if (jsonBytes(req.body) > limits.maxBotActivityBytes) throw AppError.tooLarge(limits.maxBotActivityBytes);
    return parseBody(botActivity, req.body);
  };

  /** The bot's activity as stored: id and timestamp are the Direct Line's, conversation and channel are fixed. */
  const fromBotActivity = (
    conversation: DirectLineConversation,
    { id: _id, timestamp: _timestamp, ...fields }: BotActivity,
    replyToId?: string,
  ) => {
    return {
      ...fields,
      ...(replyToId === undefined ? {} : { replyToId }),
      channelId: CHANNEL_ID,
      conversation: { id: conversation.id },
    };
  };

  const sendFromBot = (replying: boolean) =>
    route(log, async (req, res) => {
      const conversation = await fromBot(req);
      const activity = botPayload(req);
      const replyToId = replying ? param(req.params, 'activityId') : undefined;
      const stored: StoredActivity = await hub.append(
        conversation,
        fromBotActivity(conversation, activity, replyToId),
      );
      res.send(200, { id: stored.id });
    });

  server.post(`${botSide}/activities`, sendFromBot(false));
  server.post(`${botSide}/activities/:activityId`, sendFromBot(true));

  server.put(
    `${botSide}/activities/:activityId`,
    route(log, async (req, res) => {
      const conversation = await fromBot(req);
      const activity = botPayload(req);
      const activityId = param(req.params, 'activityId');
      if (!(await hub.has(conversation, activityId))) throw AppError.notFound('The activity');
      await hub.append(conversation, fromBotActivity(conversation, activity), activityId);
      res.send(200, { id: activityId });
    }),
  );

  server.del(
    `${botSide}/activities/:activityId`,
    route(log, async (req, res) => {
      const conversation = await fromBot(req);
      if (!(await hub.remove(conversation, param(req.params, 'activityId'))))
        throw AppError.notFound('The activity');
      res.send(200, {});
    }),
  );

  const members = (conversation: DirectLineConversation): ChannelAccount[] => [user(conversation), bot()];

  server.get(
    `${botSide}/members`,
    route(log, async (req, res) => {
      res.send(200, members(await fromBot(req)));
    }),
  );
  server.get(
    `${botSide}/pagedmembers`,
    route(log, async (req, res) => {
      res.send(200, { members: members(await fromBot(req)) });
    }),
  );
  server.get(
    `${botSide}/activities/:activityId/members`,
    route(log, async (req, res) => {
      res.send(200, members(await fromBot(req)));
    }),
  );
  server.get(
    `${botSide}/members/:memberId`,
    route(log, async (req, res) => {
      const member = members(await fromBot(req)).find((m) => m.id === param(req.params, 'memberId'));
      if (!member) throw AppError.notFound('The member');
      res.send(200, member);
    }),
  );

  // ---- WebSocket stream --------------------------------------------------------------------------------

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });

  /** Open streams of each client address (see requestAddress) on this instance. */
  const streamsByAddress = new Map<string, number>();
  /** Opens a stream: the backlog after the watermark, then each activity once as the change feed brings it. */
  const openStream = async (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    conversationId: string,
    url: URL,
  ): Promise<void> => {
    const verdict = tokens.verify(url.searchParams.get('t') ?? '', 'stream');
    if (!verdict.ok) return refuse(socket, verdict.reason === 'expired' ? 403 : 401);
    const { conv, parent = '', parentExp = 0 } = verdict.claims;
    if (conv !== conversationId) return refuse(socket, 403);
    const conversation = await hub.get(conversationId);
    if (!conversation) return refuse(socket, 404);
    // The stream lives as long as the conversation token it belongs to: revoked (see hub.subscribe) or expired.
    const expired = (): boolean => parentExp * 1000 <= clock.now().getTime();
    if (isRevoked(conversation, parent, clock.now().getTime()) || expired()) return refuse(socket, 403);
    if (hub.streams(conversation) >= limits.maxStreamsPerConversation) return refuse(socket, 429);
    const address = addressOf(req);
    const fromAddress = streamsByAddress.get(address) ?? 0;
    if (fromAddress >= limits.maxStreamsPerAddress) return refuse(socket, 429);
    streamsByAddress.set(address, fromAddress + 1);
    // Counted down when the connection closes, also when the handshake fails and no WebSocket comes of it.
    socket.once('close', () => {
      const left = (streamsByAddress.get(address) ?? 1) - 1;
      if (left > 0) streamsByAddress.set(address, left);
      else streamsByAddress.delete(address);
    });
    const ws = await new Promise<WebSocket>((resolve) => {
      sockets.handleUpgrade(req, socket, head, resolve);
    });
    keepAlive(ws, limits.pingIntervalMs, expired);
    const sent = new Set<string>();
    let ready = false;
    const waiting: ActivitySet[] = [];
    const send = (set: ActivitySet): void => {
      if (expired()) return ws.close(1000, TOKEN_EXPIRED);
      const fresh = set.activities.filter((a) => !sent.has(`${a.id}|${a.timestamp}`));
      if (fresh.length === 0 || ws.readyState !== WebSocket.OPEN) return;
      for (const a of fresh) sent.add(`${a.id}|${a.timestamp}`);
      ws.send(JSON.stringify({ ...set, activities: fresh }));
    };
    // Subscribed before the backlog is read, so nothing appended meanwhile is missed; nothing is sent twice.
    const unsubscribe = hub.subscribe(conversation, {
      token: parent,
      deliver: (set) => (ready ? send(set) : waiting.push(set)),
      end: () => ws.close(1000, 'conversation ended'),
    });
    ws.on('close', unsubscribe);
    ws.on('error', (err) => log.debug({ err }, 'direct line: stream error'));
    const backlog = await hub.since(conversation, url.searchParams.get('watermark') ?? undefined);
    send(backlog);
    ready = true;
    for (const set of waiting.splice(0)) send(set);
  };

  // No other module takes WebSocket upgrades, so every other path is refused and its connection closed (left alone, it
  // would stay open for ever, and enough of them exhaust the server's file descriptors).
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const conversationId = STREAM_PATH.exec(url.pathname)?.[1];
    if (conversationId === undefined) return refuse(socket, 404);
    const slow = setTimeout(() => socket.destroy(), limits.upgradeTimeoutMs);
    openStream(req, socket, head, conversationId, url)
      .catch((err: unknown) => {
        log.error({ err }, 'direct line: stream not opened');
        refuse(socket, 503);
      })
      .finally(() => clearTimeout(slow));
  };
  server.server.on('upgrade', onUpgrade);

  return {
    async close(): Promise<void> {
      server.server.off('upgrade', onUpgrade);
      await hub.close();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}

/** A string route parameter ('' when absent); restify types `req.params` as `any`. */
function param(source: unknown, name: string): string {
  if (typeof source !== 'object' || source === null || !(name in source)) return '';
  const value: unknown = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

function jsonBytes(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body) ?? '');
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

function refuse(socket: Duplex, status: number): void {
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  // A client that never reads or closes its side must not keep the connection: gone after a short grace.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Why a stream whose conversation token expired is closed (the client reconnects with a valid one). */
const TOKEN_EXPIRED = 'token expired';

/**
 * Pings the stream every `intervalMs`; a stream that has not answered the previous ping is terminated, one whose
 * token has `expired` since is closed.
 */
function keepAlive(ws: WebSocket, intervalMs: number, expired: () => boolean): void {
  let answered = true;
  ws.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (expired()) {
      ws.close(1000, TOKEN_EXPIRED);
      return;
    }
    if (!answered) {
      ws.terminate();
      return;
    }
    answered = false;
    ws.ping();
  }, intervalMs);
  timer.unref();
  ws.on('close', () => clearInterval(timer));
}
