/*
 * The helpers the staff pages share (the admin page and the staff console), after web/shared/languages.js:
 * - Staff.el(tag, props, children): an element; `text` sets textContent, `class` the class, `on<event>` a
 *   listener, anything else an attribute. Server data only ever reaches the page this way (never as HTML).
 * - Staff.chooseLanguage(code): the language picked for the staff pages (kept in localStorage, `staffLanguage`).
 * - Staff.texts(url): the page's texts (`{locale, locales, messages}` from the server) in the chosen or the
 *   browser's language: `t(key, params)`, `language(code)` (a language's name in the page's language) and
 *   `apply()`, which fills elements with `data-text` (their text) and `data-label` (their aria-label). One
 *   request per page, shared by its scripts.
 * - Staff.session(key): the sign-in token in sessionStorage, one object per key for all the page's scripts.
 *   `session.onEnded(listener)`: called when the server refuses the token (401), whichever script's call found
 *   out: the page signs out in one place.
 * - Staff.api(session): JSON calls with `Authorization: Bearer`; failures throw Staff.ApiError with the server's
 *   stable `error` code, which Staff.errorText() shows in the page's language. A 401 ends the session's sign-in
 *   (see above) unless another token was signed in since the call was made.
 * - Staff.shown(text, t): stored texts carry neutral redaction tokens (privacy/redact.ts), shown in the page's
 *   language.
 * - Staff.emptyLine(line, count, text): a list's empty line, a status line kept in the page (see below).
 */
'use strict';

(function () {
  const LANGUAGE_KEY = 'staffLanguage';

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach((child) => {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  // ---- languages ----

  /** The language chosen in the page's picker first, then the browser's preferences. */
  function preferences() {
    const stored = localStorage.getItem(LANGUAGE_KEY);
    return [...(stored ? [stored] : []), ...window.Languages.preferences()];
  }

  function chooseLanguage(code) {
    localStorage.setItem(LANGUAGE_KEY, code);
  }

  // ---- texts ----

  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      params && Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  }

  const loaded = new Map();

  function texts(url) {
    if (!loaded.has(url)) loaded.set(url, loadTexts(url));
    return loaded.get(url);
  }

  async function loadTexts(url) {
    const response = await fetch(`${url}?languages=${encodeURIComponent(preferences().join(','))}`);
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    const { locale, locales, messages } = await response.json();
    const t = (key, params) => fill(Object.hasOwn(messages, key) ? messages[key] : key, params);
    document.documentElement.lang = locale;
    return Object.freeze({
      locale,
      /** The languages the texts exist in, `{code, name}`, each named in its own language. */
      locales: locales || [{ code: locale, name: locale }],
      t,
      /** A language's name in the page's language. */
      language: (code) => window.Languages.name(code, locale),
      apply(root) {
        const scope = root || document;
        for (const element of scope.querySelectorAll('[data-text]'))
          element.textContent = t(element.dataset.text);
        for (const element of scope.querySelectorAll('[data-label]'))
          element.setAttribute('aria-label', t(element.dataset.label));
      },
    });
  }

  // ---- sign-in and API calls ----

  const sessions = new Map();

  function session(key) {
    if (!sessions.has(key)) {
      const get = () => sessionStorage.getItem(key) || '';
      const listeners = new Set();
      sessions.set(
        key,
        Object.freeze({
          get,
          set: (token) => sessionStorage.setItem(key, token),
          clear: () => sessionStorage.removeItem(key),
          onEnded: (listener) => listeners.add(listener),
          /** The server refused `token` (401): its sign-in ended, unless it is no longer the one signed in. */
          ended(token, error) {
            if (!token || token !== get()) return;
            for (const listener of listeners) listener(error);
          },
        }),
      );
    }
    return sessions.get(key);
  }

  class ApiError extends Error {
    /** `code`: the server's stable error code (`conflict`, `not_found`, …); `network` when there was no answer. */
    constructor(status, code, message, details) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = Array.isArray(details) ? details : [];
    }
  }

  /** A JSON body, or null (empty, or not JSON: a proxy's error page). */
  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  /**
   * A function `api(path, options)` calling the server with the session's token. Options: `method`, `body` (sent
   * as JSON), `text` with `contentType`, `raw` (the Response is returned as it is when it succeeds).
   */
  function api(tokens) {
    return async function call(path, options) {
      const opts = options || {};
      const token = tokens.get();
      const headers = { authorization: `Bearer ${token}` };
      let body;
      if (opts.text !== undefined) {
        headers['content-type'] = opts.contentType;
        body = opts.text;
      } else if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.body);
      }
      let response;
      try {
        response = await fetch(path, { method: opts.method || 'GET', headers, body });
      } catch (err) {
        throw new ApiError(0, 'network', err.message);
      }
      if (opts.raw && response.ok) return response;
      const text = await response.text();
      const data = parseJson(text);
      if (!response.ok) {
        const error = new ApiError(
          response.status,
          (data && typeof data.error === 'string' && data.error) || 'unknown',
          (data && data.message) || response.statusText,
          data && data.details,
        );
        if (response.status === 401) tokens.ended(token, error);
        throw error;
      }
      return data;
    };
  }

  /**
   * What went wrong, in the page's language: the text of the error's code (`error.<code>` in the catalog), else
   * a general text; fields the server named as invalid are listed by the page's name for them (`label(path)`,
   * e.g. the form's label; the path itself without one). Server messages (English) are never shown.
   */
  function errorText(err, t, label) {
    if (!(err instanceof ApiError)) return t('error.generic');
    const key = `error.${err.code}`;
    const text = t(key) === key ? t('error.generic') : t(key);
    const named = label || ((path) => path);
    const paths = err.details.map((d) => d && d.path).filter(Boolean);
    const fields = [...new Set(paths.map((path) => named(String(path))))];
    return fields.length ? `${text} ${t('error.fields', { fields: fields.join(', ') })}` : text;
  }

  // ---- stored texts ----

  const REDACTED = {
    card: 'redactedCard',
    iban: 'redactedIban',
    'national-id': 'redactedNationalId',
    password: 'redactedPassword',
    email: 'redactedEmail',
    phone: 'redactedPhone',
  };

  function shown(text, t) {
    return String(text).replace(
      /\[\[redacted:(card|iban|national-id|password|email|phone)\]\]/g,
      (_whole, kind) => t(REDACTED[kind]),
    );
  }

  /**
   * Fills a list's empty line: a `role="status"` element always in the page (never hidden), so that screen readers
   * hear it when the list empties or fills. It says `text` while the list has no rows (`count`), nothing
   * otherwise. Before the list's first load, pass '' for `text`: "nothing here" is not known yet.
   */
  function emptyLine(line, count, text) {
    line.textContent = count === 0 ? text : '';
  }

  /**
   * The separator a CSV download should use to open in columns in this computer's spreadsheet program: Excel splits
   * on the regional list separator, a semicolon where numbers are written 1,5 (Polish, Norwegian, Indonesian…), a
   * comma where they are written 1.5. The browser's language stands for the computer's regional settings.
   */
  function csvSeparator() {
    const decimal = new Intl.NumberFormat(navigator.language)
      .formatToParts(1.5)
      .find((part) => part.type === 'decimal');
    return decimal && decimal.value === ',' ? 'semicolon' : 'comma';
  }

  window.Staff = Object.freeze({
    el,
    chooseLanguage,
    texts,
    session,
    api,
    ApiError,
    errorText,
    shown,
    emptyLine,
    csvSeparator,
  });
})();
