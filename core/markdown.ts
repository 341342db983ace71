import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { decodeNumericReferences, neutralizeText } from './text';

/**
 * Makes markdown safe to show to anyone (customers in Web Chat and Teams, admins in the preview), whatever
 * renderer shows it later (even one that renders raw HTML and any link): every HTML tag and comment is removed
 * (script and style with their content), and links or images whose URL is not http(s), mailto, tel or
 * same-site keep their text but lose the URL; images become links named by their alt text (see imageAsLink); lone surrogates and character references to no character
 * (`&#x110000;`) become U+FFFD. Markdown itself (emphasis, lists, safe links) stays. Words in angle brackets that
 * are no HTML ("reply with <your customer number>", "agen <admin> lama") are kept, escaped (`\<…\>`), and so are
 * safe autolinks (`<https://…>`, `<jan@example.com>`): a tag is a known HTML, SVG or MathML element, a custom
 * element (a name with a hyphen), or anything with an attribute value, quote or slash.
 *
 * The common forms are rewritten in place (`[text](javascript:…)` → `text`). A real markdown parser then
 * decides: when it still finds raw HTML, an unsafe link, image or autolink, or an unsafe reference definition
 * (forms the rewriting misses: titles, nested brackets, escaped labels), the whole text is escaped
 * (escapeMarkdown), so it shows as written and no renderer can make a link or a tag of it.
 */
/** Web, mail and phone links, and links within the site: "/path" but not "//host" or "/\\host" (another site). */
const SAFE_URL = /^(https?:|mailto:|tel:|\/(?![/\\])|#)/i;

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
    .replace(/<[!?][^>]*(>|$)/g, '')
    .replace(/<(\/?)([a-z][a-z0-9-]*)([^>]*)(>|$)/gi, tagOrText)
    // [text](url "title") and ![alt](url), the URL with balanced parentheses ("javascript:alert(1)"). Linear time
    // whatever the text: no "[" inside the label, and the blanks after "(" taken at once ((?=(\s*))\3, an atomic
    // group), so that they cannot be shared with the blanks before ")" (else "![a](" and 28,000 blanks take a
    // second). A link this misses (a label with "[") is still checked by isSafeMarkdown below.
    .replace(
      /(!?)\[([^[\]]*)\]\((?=(\s*))\3<?((?:[^()\s>]|\([^()\s]*\))*)>?(\s+"[^"]*")?\s*\)/g,
      (
        whole,
        bang: string,
        label: string,
        _blanks: string,
        url: string,
        _title: string | undefined,
        at: number,
        all: string,
      ) => {
        if (!isSafeUrl(url)) return label;
        // "\![…](…)" is an exclamation mark and a link.
        return bang && all[at - 1] !== '\\' ? imageAsLink(whole, label, url) : whole;
      },
    )
    // [ref]: url (blanks before it on its own line only: "\s*" would run over every following empty line)
    .replace(/^[ \t]*\[[^[\]]+\]:[ \t]*(\S+).*$/gm, (whole, url: string) => (isSafeUrl(url) ? whole : ''))
    .trim();
  // Images the rewriting misses (`![alt][ref]`, nested brackets) become links the same way: "![" loses its "!".
  const linked = hasImages(rewritten) ? rewritten.replace(/(^|[^\\])!\[/g, '$1[') : rewritten;
  return isSafeMarkdown(linked) ? linked : escapeMarkdown(linked);
}

/**
 * `![alt](url "title")` as the link `[alt](url "title")`. No page loads pictures from elsewhere (the web chat's
 * CSP forbids it, and a remote picture tells its host who reads the answer), so an image is shown everywhere as
 * a link named by its alt text (the URL when there is none), as the admin preview shows it.
 */
function imageAsLink(image: string, alt: string, url: string): string {
  const target = image.slice(image.lastIndexOf('](') + 1);
  return `[${alt.trim() ? alt : escapeMarkdown(url)}]${target}`;
}

/** True when a renderer would show a picture in `text` (`![alt](url)`, `![alt][ref]`): see imageAsLink. */
export function hasImages(text: string): boolean {
  const found = (tokens: Token[]): boolean =>
    tokens.some((token) => token.type === 'image' || found(token.children ?? []));
  return found(permissive.parse(text, {}));
}

/** Autolinks that stay links: web and mail addresses in angle brackets, without blanks. */
const SAFE_AUTOLINK = /^<(?:https?:\/\/[^\s<>]+|mailto:[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>$/i;

/** Element names of HTML (current and obsolete), SVG and MathML that a renderer may take for a tag. */
const ELEMENTS = new Set(
  `a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote
  body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl
  dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
  html i iframe image img input ins isindex kbd keygen label legend li link listing main map mark marquee menu
  menuitem meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p param
  picture plaintext portal pre progress q rb rp rt rtc ruby s samp script search section select slot small source
  spacer span strike strong style sub summary sup table tbody td template textarea tfoot th thead time title tr
  track tt u ul var video wbr xmp svg math animate animatemotion animatetransform circle clippath defs desc
  ellipse feimage filter foreignobject g line lineargradient marker mask mpath path pattern polygon polyline
  radialgradient rect set stop switch symbol text textpath tspan use view maction mi mn mo ms mtext`.split(
    /\s+/,
  ),
);

/** A tag-like `<…>` (see sanitizeMarkdown): removed when it is markup, kept when it is an autolink, else escaped. */
function tagOrText(whole: string, _close: string, name: string, rest: string): string {
  if (SAFE_AUTOLINK.test(whole)) return whole;
  const markup = ELEMENTS.has(name.toLowerCase()) || name.includes('-') || /[=/"'`]/.test(rest);
  return markup ? '' : escapeMarkdown(whole);
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
