import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { decodeNumericReferences, neutralizeText } from './text';

/**
 * Makes markdown safe to show to anyone (customers in Web Chat and Teams, admins in the preview), whatever
 * renderer shows it later (even one that renders raw HTML and any link): every HTML tag and comment is removed
 * (script and style with their content), and links or images whose URL is not http(s), mailto, tel or
 * same-site keep their text but lose the URL; images become links named by their alt text (see imageAsLink); lone
 * surrogates, NUL and character references to no character (`&#x110000;`) become U+FFFD. Markdown itself (emphasis, lists, safe links) stays. Words in angle brackets that
 * are no HTML ("reply with <your customer number>", "agen <admin> lama") are kept, escaped (`\<…\>`), and so are
 * safe autolinks (`<https://…>`, `<jan@example.com>`): a tag is a known HTML, SVG or MathML element, a custom
 * element (a name with a hyphen), or anything with an attribute value, quote or slash.
 *
 * What markdown already shows as written is left alone: backslash escapes (`\<`, `\\`), code spans and code
 * blocks (fenced or indented), so `` `<br>` `` stays code and an answer saved again is not escaped again.
 * Sanitising is idempotent: the rewriting is repeated until nothing changes (a removal can join the pieces of a
 * new link or tag), so sanitizeMarkdown(sanitizeMarkdown(x)) === sanitizeMarkdown(x).
 *
 * The common forms are rewritten in place (`[text](javascript:…)` → `text`). A real markdown parser then
 * decides: when it still finds raw HTML, an unsafe link, image or autolink, or an unsafe reference definition
 * (forms the rewriting misses: titles, nested brackets, escaped labels), the whole text is escaped (escapeAll:
 * escapes already there are kept, so this too is done once), so it shows as written and no renderer can make a
 * link or a tag of it. cleanMarkdown also says what was removed, for telling the editor.
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

/** What sanitising took out of a text (see cleanMarkdown), for telling the editor. */
export interface Removed {
  /** Names of the HTML elements removed (`script`, `img`; `!--` for comments, `!` for declarations). */
  tags: string[];
  /** Links and reference definitions that lost an unsafe URL (their text is kept). */
  unsafeLinks: number;
  /** True when the text could not be kept as markdown and was escaped as a whole (shown as typed). */
  shownAsText: boolean;
}

export interface Cleaned {
  text: string;
  removed: Removed;
}

/** Rewriting rounds before the text is escaped as a whole instead (each round removes something). */
const MAX_ROUNDS = 8;

export function sanitizeMarkdown(text: string): string {
  return cleanMarkdown(text).text;
}

/** sanitizeMarkdown, and what it removed. */
export function cleanMarkdown(text: string): Cleaned {
  const tags = new Set<string>();
  const found: Removed = { tags: [], unsafeLinks: 0, shownAsText: false };
  // NUL is no character in markdown (CommonMark reads it as U+FFFD) and marks the protected parts below.
  let current = neutralizeText(text).replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  let stable = false;
  for (let round = 0; round < MAX_ROUNDS && !stable; round++) {
    const next = rewrite(current, tags, found);
    stable = next === current;
    current = next;
  }
  found.tags = [...tags];
  if (stable && isSafeMarkdown(current)) return { text: current, removed: found };
  return { text: escapeAll(current), removed: { ...found, shownAsText: true } };
}

/**
 * `text` with HTML links to web addresses written as markdown links (`<a href="https://…">Min side</a>` →
 * `[Min side](https://…)`), outside code and escapes: a message pasted from an e-mail keeps its links through
 * sanitizeMarkdown, which would keep only their text. A link to another kind of address, or one whose text holds
 * markup or brackets, is left as it is: sanitizeMarkdown then removes the tag and keeps the text.
 */
export function htmlLinksAsMarkdown(text: string): string {
  const { masked, unmask } = protect(text);
  // Linear: an opening tag or a link text ends at the next "<", so no two tries read the same characters twice.
  const links = masked.replace(
    /<a(\s[^<>]*)?>([^<>[\]\\]*)<\/a\s*>/gi,
    (whole, attributes?: string, label?: string) => {
      const href = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/i.exec(unmask(attributes ?? ''));
      const url = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim();
      if (!/^https?:\/\/[^\s<>()\\]+$/i.test(url)) return whole;
      const name = unmask(label ?? '').trim();
      return `[${name || escapeMarkdown(url)}](${url})`;
    },
  );
  return unmask(links);
}

/**
 * An answer stored before sanitising was idempotent, with the backslashes that each save added: before
 * 2026-12 every save escaped words in angle brackets again (`<Enter>` → `\<Enter\>` → `\\<Enter\\\>` → …), and
 * readers saw the backslashes. Each pile is taken back to what the first save stored, one save at a time, and
 * only where that save is exactly what the old sanitiser did (the run of backslashes before `<`, the text up to
 * `>` escaped once more: a checked inverse, not a guess). Then the text is sanitised as today. Text without such
 * a pile comes back as it is.
 */
export function repairPiledEscapes(text: string): string {
  const repaired = text.replace(
    /(\\{2,})(<\/?[a-z][a-z0-9-]*[^>]*>)/gi,
    (_whole, slashes: string, tag: string) => {
      let prefix = slashes.length;
      let current = tag;
      while (prefix >= 2) {
        const earlier = unescapedOnce(current.slice(1));
        if (earlier === undefined || earlier.indexOf('>') !== earlier.length - 1) break;
        const name = /^\/?([a-z][a-z0-9-]*)/i.exec(earlier)?.[1] ?? '';
        if (tagOrText(`<${earlier}`, name, earlier.slice(name.length)) !== `\\${current}`) break;
        current = `<${earlier}`;
        prefix--;
      }
      return '\\'.repeat(prefix) + current;
    },
  );
  return repaired === text ? text : sanitizeMarkdown(repaired);
}

/** The text that escapeMarkdown turned into `text`, or undefined when escapeMarkdown could not have made it. */
function unescapedOnce(text: string): string | undefined {
  if (!/^(?:\\[\\`*_[\]<>&~|#]|[^\\`*_[\]<>&~|#])*$/.test(text)) return undefined;
  return text.replace(/\\(.)/g, '$1');
}

/** One round of sanitizeMarkdown's rewriting, on the text outside escapes and code (see protect). */
function rewrite(text: string, tags: Set<string>, found: Removed): string {
  const { masked, unmask } = protect(text);
  const tag = (name: string) => tags.add(name.toLowerCase());
  const rewritten = masked
    .replace(/<(script|style|iframe|object|embed)\b[\s\S]*?(<\/\1\s*>|$)/gi, (_whole, name: string) => {
      tag(name);
      return '';
    })
    .replace(/<!--[\s\S]*?(-->|$)/g, () => {
      tag('!--');
      return '';
    })
    .replace(/<([!?])[^>]*(>|$)/g, (_whole, mark: string) => {
      tag(mark);
      return '';
    })
    // A name goes on over letters of every alphabet: "<Płatności>" and "<Søk>" are words, not <p> and <s>.
    .replace(
      /<(\/?)([a-z][\p{L}\p{N}-]*)([^>]*)(>|$)/giu,
      (whole, _close: string, name: string, rest: string) => {
        const kept = tagOrText(unmask(whole), name, unmask(rest));
        if (kept === '') tag(name);
        return kept;
      },
    )
    // [text](url "title") and ![alt](url), the URL with balanced parentheses ("javascript:alert(1)"). Linear time
    // whatever the text: no "[" inside the label, and the blanks after "(" taken at once ((?=(\s*))\3, an atomic
    // group), so that they cannot be shared with the blanks before ")" (else "![a](" and 28,000 blanks take a
    // second). A link this misses (a label with "[") is still checked by isSafeMarkdown below.
    .replace(
      /(!?)\[([^[\]]*)\]\((?=(\s*))\3<?((?:[^()\s>]|\([^()\s]*\))*)>?(\s+"[^"]*")?\s*\)/g,
      (whole, bang: string, label: string, _blanks: string, url: string) => {
        if (!isSafeUrl(unmask(url))) {
          found.unsafeLinks++;
          return label;
        }
        // "\![…](…)" is an exclamation mark and a link (the escape is protected: no "!" is seen there).
        return bang ? imageAsLink(whole, label, unmask(url)) : whole;
      },
    )
    // [ref]: url (blanks before it on its own line only: "\s*" would run over every following empty line)
    .replace(/^[ \t]*\[[^[\]]+\]:[ \t]*(\S+).*$/gm, (whole, url: string) => {
      if (isSafeUrl(unmask(url))) return whole;
      found.unsafeLinks++;
      return '';
    });
  // Images the rewriting misses (`![alt][ref]`, nested brackets) become links the same way: "![" loses its "!".
  const linked =
    rewritten.includes('![') && hasImages(unmask(rewritten)) ? rewritten.replace(/!\[/g, '[') : rewritten;
  return unmask(linked).trim();
}

/** ASCII punctuation: what a backslash escapes in markdown (CommonMark). */
const PUNCTUATION = /[!-/:-@[-`{-~]/;
/** Code blocks: the lines markdown-it reads as fenced or indented code. */
const CODE_BLOCKS = new Set(['fence', 'code_block']);

/**
 * `text` with what markdown shows as written replaced by placeholders (NUL, a number, NUL): the lines of code
 * blocks, code spans (a run of backticks to the next run of the same length within the paragraph, as markdown
 * reads them), and backslash escapes. The rewriting sees no tag or link in them; `unmask` puts them back.
 * Linear time: each run of backticks is looked at once as an opening and once as a closing candidate.
 */
function protect(text: string): { masked: string; unmask: (s: string) => string } {
  const kept: string[] = [];
  const hold = (part: string) => `\0${kept.push(part) - 1}\0`;
  const codeLines = new Set<number>();
  // Only lines indented by four or opening a fence can be code blocks: no need to parse text without them.
  const tokens = /^(?: {0,3}(?:```|~~~)| {4}|\t)/m.test(text) ? permissive.parse(text, {}) : [];
  for (const token of tokens) {
    if (!CODE_BLOCKS.has(token.type) || !token.map) continue;
    for (let line = token.map[0]; line < token.map[1]; line++) codeLines.add(line);
  }
  const rest = text
    .split('\n')
    .map((line, i) => (codeLines.has(i) && line ? hold(line) : line))
    .join('\n');
  const closers = backtickRuns(rest);
  let masked = '';
  let from = 0;
  for (let i = 0; i < rest.length;) {
    const c = rest[i] ?? '';
    if (c === '\\' && PUNCTUATION.test(rest[i + 1] ?? '')) {
      masked += rest.slice(from, i) + hold(rest.slice(i, i + 2));
      i += 2;
      from = i;
    } else if (c === '`') {
      let end = i;
      while (rest[end] === '`') end++;
      const close = closers.next(end - i, end);
      if (close < 0) {
        i = end;
        continue;
      }
      masked += rest.slice(from, i) + hold(rest.slice(i, close + end - i));
      i = close + end - i;
      from = i;
    } else i++;
  }
  masked += rest.slice(from);
  const unmask = (s: string): string => s.replace(/\0(\d+)\0/g, (_whole, n: string) => kept[Number(n)] ?? '');
  return { masked, unmask };
}

/**
 * The runs of backticks of `text`, for finding where a code span closes: `next(length, after)` is the start of the
 * first run of exactly `length` backticks at or after `after` and before the paragraph ends (an empty line), or
 * -1. Calls come with growing `after`, so each length's list is walked once.
 */
function backtickRuns(text: string): { next: (length: number, after: number) => number } {
  const runs = new Map<number, { at: number; paragraph: number }[]>();
  const walked = new Map<number, number>();
  const breaks: number[] = [];
  let paragraph = 0;
  for (const match of text.matchAll(/`+|\n[ \t]*\n/g)) {
    if (match[0][0] !== '`') {
      paragraph++;
      breaks.push(match.index);
      continue;
    }
    const list = runs.get(match[0].length) ?? [];
    list.push({ at: match.index, paragraph });
    runs.set(match[0].length, list);
  }
  const paragraphOf = (at: number): number => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((breaks[middle] ?? 0) < at) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return {
    next(length, after) {
      const list = runs.get(length) ?? [];
      let k = walked.get(length) ?? 0;
      while (k < list.length && (list[k]?.at ?? 0) < after) k++;
      walked.set(length, k);
      const run = list[k];
      return run && run.paragraph === paragraphOf(after) ? run.at : -1;
    },
  };
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
function tagOrText(whole: string, name: string, rest: string): string {
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

/**
 * `text` with every character that opens markup escaped, escapes already there kept (`\\<` stays as it is):
 * what sanitizeMarkdown saves when the text cannot be kept as markdown. Idempotent, unlike escapeMarkdown.
 */
function escapeAll(text: string): string {
  return text.replace(/\\[!-/:-@[-`{-~]|[\\`*_[\]<>&~|#]/g, (c) => (c.length === 2 ? c : `\\${c}`));
}

/** Decodes the entities an attacker may use to hide a scheme (`javascript&colon;`, `&#106;…`). */
function decodeEntities(text: string): string {
  return decodeNumericReferences(text)
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/gi, '&');
}
