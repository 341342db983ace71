import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { escapeMarkdown } from '../core/markdown';
import { fromRoot } from '../core/paths';
import type Admin from './en/admin.json';
import type Common from './en/common.json';
import type Faq from './en/faq.json';
import type Feedback from './en/feedback.json';
import type Handoff from './en/handoff.json';
import type Privacy from './en/privacy.json';
import type Staff from './en/staff.json';

/**
 * Message catalogs: every customer-facing and staff-facing string (namespaces `staff` and `admin`), per locale, in `locales/<locale>/<namespace>.json`.
 * `en` is the reference whose keys type-check every `t()` call; a test checks that every locale has every key
 * with the same placeholders. Adding a locale is adding a folder: no code changes.
 */
interface Reference {
  common: typeof Common;
  faq: typeof Faq;
  handoff: typeof Handoff;
  feedback: typeof Feedback;
  staff: typeof Staff;
  privacy: typeof Privacy;
  admin: typeof Admin;
}
export type Namespace = keyof Reference;
export type MessageKey = {
  [N in Namespace]: `${N}.${Extract<keyof Reference[N], string>}`;
}[Namespace];
export type Params = Record<string, string | number>;

export const namespaces: readonly Namespace[] = [
  'common',
  'faq',
  'handoff',
  'feedback',
  'staff',
  'privacy',
  'admin',
];
const localesDir = fromRoot('locales');

type Catalog = Map<string, string>;
let catalogs: Map<string, Catalog> | undefined;

function load(): Map<string, Catalog> {
  const result = new Map<string, Catalog>();
  for (const locale of readdirSync(localesDir)) {
    if (!statSync(path.join(localesDir, locale)).isDirectory()) continue;
    const catalog: Catalog = new Map();
    for (const ns of namespaces) {
      const file = path.join(localesDir, locale, `${ns}.json`);
      const messages: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof messages !== 'object' || messages === null) throw new Error(`${file}: expected an object`);
      for (const [key, value] of Object.entries(messages)) {
        if (typeof value !== 'string') throw new Error(`${file}: "${key}" must be a string`);
        catalog.set(`${ns}.${key}`, value);
      }
    }
    result.set(locale, catalog);
  }
  return result;
}

function all(): Map<string, Catalog> {
  catalogs ??= load();
  return catalogs;
}

/** The locales that have message catalogs (folder names under locales/). */
export function catalogLocales(): string[] {
  return [...all().keys()].sort();
}

/** Every message of a locale, by key (for the completeness test and the web pages). */
export function messagesOf(locale: string): ReadonlyMap<string, string> {
  return all().get(locale) ?? new Map();
}

/** Whether `key` names a message (of `en`, which has every key): for keys made from data, such as error codes. */
export function isMessageKey(key: string): key is MessageKey {
  return messagesOf('en').has(key);
}

/** The messages of one namespace in a locale, by key without the namespace (e.g. for the staff console). */
export function namespaceMessages(locale: string, namespace: Namespace): Record<string, string> {
  const prefix = `${namespace}.`;
  return Object.fromEntries(
    [...messagesOf(locale)]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, text]) => [key.slice(prefix.length), text]),
  );
}

/**
 * The message `key` in `locale` with `{placeholders}` filled. Messages are markdown, and parameters are often
 * what someone typed (names, descriptions): string parameters are escaped (escapeMarkdown), so they show as
 * written and never as markup or a link. A locale without the key falls back to `en` (the completeness test
 * keeps that from happening to customers).
 */
export function t(locale: string, key: MessageKey, params: Params = {}): string {
  const template = all().get(locale)?.get(key) ?? all().get('en')?.get(key);
  if (template === undefined) throw new Error(`Missing message ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'string' ? escapeMarkdown(value) : String(value);
  });
}
