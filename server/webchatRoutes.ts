import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { fromRoot } from '../core/paths';
import { t } from '../locales';
import { AZURE_DIRECT_LINE_URL, registerAzureDirectLineToken } from './directline/azure';
import { MAX_MESSAGE_CHARACTERS } from './directline/routes';
import { PAGE_ISOLATION_HEADERS, route, routeSync } from './http';

export interface WebChatDeps {
  config: Config;
  /** The origin the request's browser reached the server at (PUBLIC_URL, else the request's host; see requestOrigin). */
  origin: (req: Request) => string;
  clock: Clock;
  log: Logger;
  /** Azure's Direct Line base URL (only with DIRECT_LINE_SECRET); tests point it to a local stand-in. */
  azureDirectLineUrl?: string;
}

/** The languages of the picker, as Web Chat locales (BCP 47), with their names in their own language. */
export const WEBCHAT_LOCALES = [
  { locale: 'en-US', language: 'en', name: 'English' },
  { locale: 'id-ID', language: 'id', name: 'Bahasa Indonesia' },
  { locale: 'pl-PL', language: 'pl', name: 'Polski' },
  { locale: 'nb-NO', language: 'nb', name: 'Norsk bokmål' },
] as const;

const webchatDist = (...parts: string[]) => fromRoot('node_modules', 'botframework-webchat', ...parts);
const gzipAsync = promisify(gzip);

/** DIRECT_LINE_TRUSTED_ORIGINS as origins (`https://shop.example.com`); throws on an entry that is not a URL. */
export function trustedOrigins(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const { origin } = new URL(entry);
      if (origin === 'null')
        throw new Error(`DIRECT_LINE_TRUSTED_ORIGINS: "${entry}" is not an http(s) origin`);
      return origin;
    });
}

/**
 * The hash of an empty inline style sheet. One of Web Chat's style caches inserts an empty <style> element
 * without the nonce and fills it through the CSSOM (insertRule), which CSP does not govern; allowing exactly
 * the empty sheet keeps every other inline style forbidden.
 */
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * The Content-Security-Policy of the chat page. Scripts only from this server (no inline script anywhere);
 * styles from this server plus Web Chat's runtime style sheets, which carry the per-response nonce (Web Chat
 * passes its `nonce` prop to emotion); connections to this server and its Direct Line WebSocket (and Azure's
 * Direct Line only when a secret is set); framing only by this server and the trusted origins.
 */
export function webChatCsp(input: {
  nonce: string;
  origin: string;
  azureDirectLineUrl?: string;
  avatarUrl: string;
  frameAncestors: string[];
}): string {
  const self = new URL(input.origin);
  const socket = `${self.protocol === 'https:' ? 'wss:' : 'ws:'}//${self.host}`;
  const connect = ["'self'", self.origin, socket];
  if (input.azureDirectLineUrl) {
    const azure = new URL(input.azureDirectLineUrl);
    connect.push(azure.origin, `${azure.protocol === 'https:' ? 'wss:' : 'ws:'}//${azure.host}`);
  }
  const images = ["'self'", 'data:', 'blob:'];
  if (/^https?:\/\//i.test(input.avatarUrl)) images.push(new URL(input.avatarUrl).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${input.nonce}' '${EMPTY_STYLE_HASH}'`,
    `img-src ${images.join(' ')}`,
    `connect-src ${connect.join(' ')}`,
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...input.frameAncestors].join(' ')}`,
  ].join('; ');
}

/**
 * The web chat: `GET /` (the page), `/webchat/*` (its script, style sheet and `config.json`; the safe-markdown
 * check and the language choice are the shared files of /shared/), `/vendor/webchat.js`
 * (Web Chat's UMD bundle from node_modules, versioned URL, cached for a year), `/embed.js` (puts the chat on
 * another site), and with DIRECT_LINE_SECRET set `POST /api/directline/token` (Azure token exchange).
 * Without the secret the page talks to the embedded Direct Line (registerDirectLine).
 */
export function registerWebChat(server: Server, deps: WebChatDeps): void {
  const { config, log } = deps;
  const frameAncestors = trustedOrigins(config.DIRECT_LINE_TRUSTED_ORIGINS);
  const azureUrl = config.DIRECT_LINE_SECRET ? (deps.azureDirectLineUrl ?? AZURE_DIRECT_LINE_URL) : undefined;
  const version = (JSON.parse(readFileSync(webchatDist('package.json'), 'utf8')) as { version: string })
    .version;
  const page = readFileSync(fromRoot('web', 'chat', 'index.html'), 'utf8').replaceAll(
    '{{webchatVersion}}',
    version,
  );
  const embed = readFileSync(fromRoot('web', 'chat', 'embed.js'), 'utf8');
  const assets = {
    'chat.js': {
      body: readFileSync(fromRoot('web', 'chat', 'chat.js')),
      type: 'text/javascript; charset=utf-8',
    },
    'chat.css': { body: readFileSync(fromRoot('web', 'chat', 'chat.css')), type: 'text/css; charset=utf-8' },
  };
  const bundle = readFileSync(webchatDist('dist', 'webchat.js'));
  let bundleGzip: Promise<Buffer> | undefined;

  server.get(
    '/',
    routeSync(log, (req, res) => {
      const nonce = randomBytes(16).toString('base64');
      const csp = webChatCsp({
        nonce,
        origin: deps.origin(req),
        azureDirectLineUrl: azureUrl,
        avatarUrl: config.WEBCHAT_AVATAR_URL,
        frameAncestors,
      });
      send(res, Buffer.from(page.replaceAll('{{nonce}}', nonce)), 'text/html; charset=utf-8', {
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        ...PAGE_ISOLATION_HEADERS,
      });
    }),
  );

  // With each language the page's own words in it (Web Chat brings its own).
  const webchatLocales = WEBCHAT_LOCALES.map((l) => ({
    ...l,
    newConversation: t(l.language, 'common.newConversation'),
    leaving: {
      person: t(l.language, 'common.leavingPerson'),
      waiting: t(l.language, 'common.leavingWaiting'),
      stay: t(l.language, 'common.stayInChat'),
    },
    messageTooLong: t(l.language, 'common.messageTooLong', {
      max: new Intl.NumberFormat(l.language).format(MAX_MESSAGE_CHARACTERS),
    }),
  }));
  server.get(
    '/webchat/config.json',
    routeSync(log, (req, res) => {
      res.header('Cache-Control', 'no-cache');
      res.send(200, {
        botName: config.WEBCHAT_BOT_NAME,
        avatarUrl: config.WEBCHAT_AVATAR_URL,
        accentColor: config.WEBCHAT_ACCENT_COLOR,
        locales: webchatLocales,
        maxMessageLength: MAX_MESSAGE_CHARACTERS,
        directLine: azureUrl
          ? { tokenUrl: '/api/directline/token', domain: azureUrl }
          : {
              tokenUrl: '/v3/directline/tokens/generate',
              // Same-origin unless PUBLIC_URL says otherwise: the page works on whatever host name it is served.
              domain: config.PUBLIC_URL ? `${deps.origin(req)}/v3/directline` : '/v3/directline',
            },
      });
    }),
  );

  for (const [name, asset] of Object.entries(assets)) {
    server.get(
      `/webchat/${name}`,
      routeSync(log, (_req, res) => send(res, asset.body, asset.type, { 'Cache-Control': 'no-cache' })),
    );
  }

  server.get(
    '/vendor/webchat.js',
    route(log, async (req, res) => {
      const headers = { 'Cache-Control': 'public, max-age=31536000, immutable', Vary: 'Accept-Encoding' };
      if (!acceptsGzip(req)) return send(res, bundle, 'text/javascript; charset=utf-8', headers);
      bundleGzip ??= gzipAsync(bundle);
      send(res, await bundleGzip, 'text/javascript; charset=utf-8', {
        ...headers,
        'Content-Encoding': 'gzip',
      });
    }),
  );

  server.get(
    '/embed.js',
    routeSync(log, (req, res) => {
      const settings = JSON.stringify({
        url: `${deps.origin(req)}/?embed=1`,
        title: config.WEBCHAT_BOT_NAME,
        accentColor: config.WEBCHAT_ACCENT_COLOR,
      });
      // The chat's address comes from the request's host unless PUBLIC_URL is set: then no shared cache may keep
      // it for others (a request with a forged Host header would poison it for every embedding site).
      send(res, Buffer.from(embed.replace('{/*settings*/}', settings)), 'text/javascript; charset=utf-8', {
        'Cache-Control': `${config.PUBLIC_URL ? 'public' : 'private'}, max-age=300`,
        ...(config.PUBLIC_URL ? {} : { Vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto' }),
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
    }),
  );

  if (config.DIRECT_LINE_SECRET && azureUrl) {
    registerAzureDirectLineToken(server, {
      secret: config.DIRECT_LINE_SECRET,
      allowedOrigins: (req) => [deps.origin(req), ...frameAncestors],
      azureUrl,
      clock: deps.clock,
      log,
      trustProxy: config.TRUST_PROXY,
    });
  }
}

function acceptsGzip(req: Request): boolean {
  return /\bgzip\b/.test(req.header('accept-encoding') ?? '');
}

function send(res: Response, body: Buffer, type: string, headers: Record<string, string>): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': String(body.length),
    ...headers,
  });
  res.end(body);
}
