import { decodeNumericReferences, neutralizeText } from './text';

/**
 * Makes markdown safe to show to anyone (customers in Web Chat and Teams, admins in the preview): every HTML
 * tag and comment is removed (script and style with their content), and links or images whose URL is not
 * http(s), mailto or tel keep their text but lose the URL; lone surrogates and character references to no
 * character (`&#x110000;`) become U+FFFD. Markdown itself (emphasis, lists, safe links) stays.
 */
const SAFE_URL = /^(https?:|mailto:|tel:|\/|#)/i;

function isSafeUrl(url: string): boolean {
  // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
  const compact = [...decodeEntities(url)].filter((c) => c.charCodeAt(0) > 32).join('');
  return SAFE_URL.test(compact);
}

export function sanitizeMarkdown(text: string): string {
  return (
    neutralizeText(text)
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
      .trim()
  );
}

/** Decodes the entities an attacker may use to hide a scheme (`javascript&colon;`, `&#106;…`). */
function decodeEntities(text: string): string {
  return decodeNumericReferences(text)
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/gi, '&');
}
