/*
 * Languages in the pages (web chat, admin page, staff console): the browser's preferences, the first supported
 * one of them, and language names. Exposes window.Languages.
 */
'use strict';

(function () {
  /** The language subtag of a BCP 47 tag, with Norwegian written as bokmål. */
  function languageOf(tag) {
    const language = String(tag || '')
      .toLowerCase()
      .split('-')[0];
    return language === 'no' || language === 'nn' ? 'nb' : language;
  }

  /** The browser's language preferences, most wanted first. */
  function preferences() {
    return navigator.languages && navigator.languages.length
      ? [...navigator.languages]
      : [navigator.language];
  }

  /** The first of `available` (language codes) that `wanted` (BCP 47 tags) names, else the first available. */
  function choose(available, wanted) {
    for (const tag of wanted) {
      const match = available.find((code) => code === languageOf(tag));
      if (match) return match;
    }
    return available[0];
  }

  /** A language's name in the language `inLocale` ("Angielski" for `en` in Polish). */
  function name(code, inLocale) {
    try {
      const text = new Intl.DisplayNames([inLocale], { type: 'language' }).of(code) || code;
      return text.charAt(0).toLocaleUpperCase(inLocale) + text.slice(1);
    } catch {
      return code;
    }
  }

  window.Languages = Object.freeze({ preferences, choose, name });
})();
