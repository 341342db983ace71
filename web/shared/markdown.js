/*
 * Safe markdown in the pages, with markdown-it (served from node_modules). Links are kept only for http(s),
 * mailto, tel and same-site URLs (the same rule as core/markdown.ts, which sanitises answers and messages on
 * save). Exposes window.SafeMarkdown:
 * - render(text) → an HTML string safe to assign to innerHTML (the admin preview): raw HTML is never rendered
 *   (html: false escapes it as text) and images are shown as links named by their alt text, so it loads nothing
 *   from other sites;
 * - hasImages(text) → whether the text has such an image (the admin editor says how customers see it);
 * - isSafe(text) → whether even a renderer that renders raw HTML and any link (Web Chat's link definitions)
 *   would find only safe links, images and reference definitions and no HTML in it.
 */
'use strict';

(function () {
  // Within the site: "/path", not "//host" or "/\\host" (browsers read both as another site).
  const SAFE_URL = /^(https?:|mailto:|tel:|\/(?![/\\])|#)/i;

  function isSafeUrl(url) {
    // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    return SAFE_URL.test(
      Array.from(String(url))
        .filter((c) => c.charCodeAt(0) > 32)
        .join(''),
    );
  }

  const md = window.markdownit({ html: false, linkify: false, typographer: false, breaks: true });
  md.validateLink = isSafeUrl;
  // An image is a link named by its alt text (its URL when there is none), as core/markdown.ts saves it: no page
  // loads pictures from elsewhere.
  md.renderer.rules.image = function (tokens, idx) {
    const src = tokens[idx].attrGet('src') || '';
    return (
      '<a href="' +
      md.utils.escapeHtml(src) +
      '" rel="noopener noreferrer" target="_blank">' +
      md.utils.escapeHtml(tokens[idx].content || src) +
      '</a>'
    );
  };
  const defaultLinkOpen =
    md.renderer.rules.link_open ||
    function (tokens, idx, options, env, self) {
      return self.renderToken(tokens, idx, options);
    };
  md.renderer.rules.link_open = function (tokens, idx, options, env, self) {
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    tokens[idx].attrSet('target', '_blank');
    return defaultLinkOpen(tokens, idx, options, env, self);
  };

  /** Accepts every link and raw HTML, as the most permissive renderer would, to find what is unsafe. */
  const permissive = window.markdownit({ html: true, linkify: true });
  permissive.validateLink = function () {
    return true;
  };

  function isSafeToken(token) {
    if (token.type === 'html_block' || token.type === 'html_inline') return false;
    const url =
      token.type === 'link_open'
        ? token.attrGet('href')
        : token.type === 'image'
          ? token.attrGet('src')
          : null;
    if (url !== null && !isSafeUrl(url)) return false;
    return (token.children || []).every(isSafeToken);
  }

  function hasImage(token) {
    return token.type === 'image' || (token.children || []).some(hasImage);
  }

  window.SafeMarkdown = Object.freeze({
    render(text) {
      return md.render(String(text));
    },
    /** Whether `text` has a picture, which every page shows as a link (see the image rule above). */
    hasImages(text) {
      return md.parse(String(text), {}).some(hasImage);
    },
    isSafe(text) {
      const env = {};
      const tokens = permissive.parse(String(text), env);
      const references = Object.values(env.references || {});
      return (
        references.every(function (reference) {
          return isSafeUrl(reference.href);
        }) && tokens.every(isSafeToken)
      );
    },
  });
})();
