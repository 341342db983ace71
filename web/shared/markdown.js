/*
 * Safe markdown rendering for staff pages (the admin preview), with markdown-it (served from node_modules):
 * raw HTML is never rendered (html: false escapes it as text), links are kept only for http(s), mailto, tel
 * and same-site URLs (the same rule as core/markdown.ts, which sanitises answers on save), and images are
 * shown as their alt text, so the preview loads nothing from other sites.
 * Exposes window.SafeMarkdown.render(text) → an HTML string safe to assign to innerHTML.
 */
'use strict';

(function () {
  const SAFE_URL = /^(https?:|mailto:|tel:|\/|#)/i;

  const md = window.markdownit({ html: false, linkify: false, typographer: false, breaks: true });
  md.validateLink = function (url) {
    // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    return SAFE_URL.test(
      Array.from(url)
        .filter((c) => c.charCodeAt(0) > 32)
        .join(''),
    );
  };
  md.renderer.rules.image = function (tokens, idx) {
    return md.utils.escapeHtml(tokens[idx].content || '');
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

  window.SafeMarkdown = Object.freeze({
    render(text) {
      return md.render(String(text));
    },
  });
})();
