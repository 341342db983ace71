import { readFile } from 'node:fs/promises';
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { fromRoot } from '../core/paths';
import { catalogLocales, messagesOf, namespaceMessages } from '../locales';
import { ADMIN_PAGE_HEADERS } from './adminRoutes';
import { preferredLocale } from './agentEvents';
import { parseBody, route, routeSync } from './http';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The files under /shared/: name → where it lives and its type. Nothing else is served there. */
const SHARED_FILES: Readonly<Record<string, { file: string[]; type: string }>> = {
  'languages.js': { file: ['web', 'shared', 'languages.js'], type: JS },
  'markdown.js': { file: ['web', 'shared', 'markdown.js'], type: JS },
  'staff.js': { file: ['web', 'shared', 'staff.js'], type: JS },
  'theme.css': { file: ['web', 'shared', 'theme.css'], type: CSS },
  'markdown-it.js': {
    file: ['node_modules', 'markdown-it', 'dist', 'browser', 'markdown-it.umd.min.js'],
    type: JS,
  },
};

const languagesQuery = z.object({ languages: z.string().max(500).optional() });

/**
 * `GET /shared/<file>`: the helpers the web chat, the admin page and the staff console share (web/shared/) and
 * markdown-it for SafeMarkdown. Same origin as each page, so every page's `script-src 'self'` allows them; sent
 * with the admin page's strict headers.
 */
export function registerSharedAssets(server: Server, { log }: { log: Logger }): void {
  server.get(
    '/shared/:file',
    route(log, async (req, res) => {
      const name: unknown = Object.getOwnPropertyDescriptor(req.params ?? {}, 'file')?.value;
      const asset =
        typeof name === 'string' && Object.hasOwn(SHARED_FILES, name) ? SHARED_FILES[name] : undefined;
      if (!asset) throw AppError.notFound('That file');
      const body = await readFile(fromRoot(...asset.file));
      res.sendRaw(200, body, { ...ADMIN_PAGE_HEADERS, 'Content-Type': asset.type });
    }),
  );
}

/**
 * `GET /api/admin/messages?languages=pl-PL,en`: the admin page's texts in the first supported language of the
 * preferences, else English: `{locale, locales: [{code, name}], messages}` (each language named in itself) with the `staff` namespace (error codes, redaction
 * tokens, sign-in, shared with the staff console) and the `admin` namespace. No token: the sign-in form needs
 * them, and they are no secret.
 */
export function registerAdminTexts(server: Server, { log }: { log: Logger }): void {
  server.get(
    '/api/admin/messages',
    routeSync(log, (req, res) => {
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
      const { languages } = parseBody(languagesQuery, query);
      const locale = preferredLocale(languages);
      res.send(200, {
        locale,
        locales: catalogLocales().map((code) => ({
          code,
          name: messagesOf(code).get('staff.languageName') ?? code,
        })),
        messages: { ...namespaceMessages(locale, 'staff'), ...namespaceMessages(locale, 'admin') },
      });
    }),
  );
}
