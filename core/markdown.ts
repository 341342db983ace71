import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { decodeNumericReferences, neutralizeText } from './text';

/**
 * Makes markdown safe to show to anyone (customers in Web Chat and Teams, admins in the preview), whatever
 * renderer shows it later (even one that renders raw HTML and any link): every HTML tag and comment is removed
 * (script and style with their content), and links or images whose URL is not http(s), mailto, tel or
 * same-site keep their text but lose the URL; lone surrogates and character references to no character
 * (`&#x110000;`) become U+FFFD. Markdown itself (emphasis, lists, safe links) stays.
 *
 * The common forms are rewritten in place (`[text](javascript:…)` → `text`). A real markdown parser then
 * decides: when it still finds raw HTML, an unsafe link, image or autolink, or an unsafe reference definition
 * (forms the rewriting misses: titles, nested brackets, escaped labels), the whole text is escaped
 * (escapeMarkdown), so it shows as written and no renderer can make a link or a tag of it.
 */
const SAFE_URL = /^(https?:|mailto:|tel:|\/|#)/i;

function isSafeUrl(url: string): boolean {
  // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
  const compact = [...decodeEntities(url)].filter((c) => c.charCodeAt(0) > 32).join('');
  return SAFE_URL.test(compact);
}

/** A parser that accepts every link and raw HTML, as the most permissive renderer would. */
const permissive = new MarkdownIt({ html: true, linkify: true });
permissive.validateLink = () => true;

export function sanitizeMarkdown(text: string): string {
  const rewritten = neutralizeText(text)
    .replace(/\r\n?/g, '\n')
    .replace(/<(script|style|iframe|object|embed)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<\/?[a-z!?][^>]*(>|$)/gi, '')
    // [text](url "title") and ![alt](url)
    .replace(
      /(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(\s+"[^"]*")?\s*\)/g,
      (whole, _bang: string, label: string, url: string) => (isSafeUrl(url) ? whole : label),
    )
    // [ref]: url
    .replace(/^\s*\[[^\]]+\]:\s*(\S+).*$/gm, (whole, url: string) => (isSafeUrl(url) ? whole : ''))
    .trim();
  return isSafeMarkdown(rewritten) ? rewritten : escapeMarkdown(rewritten);
}

/** True when the parser finds no raw HTML and only safe URLs in links, images and reference definitions. */
function isSafeMarkdown(text: string): boolean {
  const env: { references?: Record<string, { href: string; title: string }> } = {};
  const tokens = permissive.parse(text, env);
  const references = Object.values(env.references ?? {});
  return references.every((r) => isSafeUrl(r.href)) && tokens.every(isSafeToken);
}

function isSafeToken(token: Token): boolean {
  if (token.type === 'html_block' || token.type === 'html_inline') return false;
  const url =
    token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
  if (url !== null && !isSafeUrl(String(url))) return false;
  return (token.children ?? []).every(isSafeToken);
}

/**
 * `text` as markdown that shows it as written: the characters that open tags, links, entities, emphasis,
 * code and headings are backslash-escaped. For user data put into messages (see `t`).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>&~|#]/g, '\\$&');
}

/** Decodes the entities an attacker may use to hide a scheme (`javascript&colon;`, `&#106;…`). */
function decodeEntities(text: string): string {
  return decodeNumericReferences(text)
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/gi, '&');
}
