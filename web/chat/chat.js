/*
 * The web chat page: reads /webchat/config.json, gets a Direct Line token (embedded Direct Line, or Azure's
 * through the server's token exchange), and renders Web Chat in the chosen language. Changing the language
 * starts a new conversation in that language. No inline script: the page's CSP forbids it. Web Chat's runtime
 * style sheets carry the nonce of this script's tag, which the CSP allows for styles.
 * Messages are markdown, never HTML: Web Chat renders raw HTML as text (markdownRenderHTML: false), and a text
 * with an unsafe link, image or reference definition (which Web Chat would list as a link) is shown as plain
 * text (window.SafeMarkdown of /shared/markdown.js decides). The server sanitises what it sends as well.
 */
(function () {
  'use strict';

  var nonce = (document.currentScript && document.currentScript.nonce) || undefined;
  var params = new URLSearchParams(window.location.search);
  var chat = document.getElementById('chat');
  var picker = document.getElementById('locale');
  var problem = document.getElementById('problem');
  var current; // { directLine, host } of the conversation on screen

  if (params.get('embed') === '1') document.documentElement.classList.add('embedded');

  /** The first supported language of the given preferences (BCP 47 tags), or the first supported one. */
  function chooseLocale(locales, preferences) {
    var language = window.Languages.choose(
      locales.map(function (l) {
        return l.language;
      }),
      preferences,
    );
    return locales.find(function (l) {
      return l.language === language;
    });
  }

  function initials(name) {
    return name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map(function (word) {
        return word[0].toUpperCase();
      })
      .join('');
  }

  /** Web Chat's attachment middleware: markdown that is not safe to render is shown as plain text. */
  function plainUnlessSafe() {
    return function (next) {
      return function (card) {
        var attachment = card.attachment;
        if (
          attachment &&
          attachment.contentType === 'text/markdown' &&
          !window.SafeMarkdown.isSafe(attachment.content || '')
        ) {
          return next(
            Object.assign({}, card, {
              attachment: Object.assign({}, attachment, { contentType: 'text/plain' }),
            }),
          );
        }
        return next(card);
      };
    };
  }

  async function fetchToken(config) {
    var response = await fetch(config.directLine.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
    if (!response.ok) throw new Error('token request failed with ' + response.status);
    return response.json();
  }

  async function start(config, choice) {
    if (current) {
      current.directLine.end();
      current.host.remove();
      current = undefined;
    }
    problem.hidden = true;
    document.documentElement.lang = choice.language;
    var grant = await fetchToken(config);
    var directLine = window.WebChat.createDirectLine({
      token: grant.token,
      // A relative domain (the default) is this page's own origin, whatever host name it was opened at.
      domain: new URL(config.directLine.domain, window.location.href).href.replace(/\/$/, ''),
      webSocket: true,
      conversationStartProperties: { locale: choice.locale },
    });
    var host = document.createElement('div');
    chat.appendChild(host);
    current = { directLine: directLine, host: host };
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        locale: choice.locale,
        nonce: nonce,
        attachmentMiddleware: plainUnlessSafe,
        styleOptions: {
          accent: config.accentColor,
          botAvatarImage: config.avatarUrl || undefined,
          botAvatarInitials: initials(config.botName),
          hideUploadButton: true,
          markdownRenderHTML: false,
          rootHeight: '100%',
          rootWidth: '100%',
        },
      },
      host,
    );
    chat.setAttribute('aria-label', config.botName);
  }

  async function main() {
    var config = await (await fetch('/webchat/config.json', { credentials: 'same-origin' })).json();
    document.title = config.botName;
    document.getElementById('title').textContent = config.botName;
    document.documentElement.style.setProperty('--accent', config.accentColor);
    if (config.avatarUrl) {
      var avatar = document.getElementById('avatar');
      avatar.src = config.avatarUrl;
      avatar.hidden = false;
    }
    config.locales.forEach(function (l) {
      var option = document.createElement('option');
      option.value = l.locale;
      option.lang = l.language;
      option.textContent = l.name;
      picker.appendChild(option);
    });
    var requested = params.get('locale');
    var choice = chooseLocale(
      config.locales,
      (requested ? [requested] : []).concat(window.Languages.preferences()),
    );
    picker.value = choice.locale;

    function run(selected) {
      start(config, selected).catch(function (err) {
        console.warn('web chat could not start', err);
        problem.hidden = false;
      });
    }
    picker.addEventListener('change', function () {
      run(
        config.locales.find(function (l) {
          return l.locale === picker.value;
        }),
      );
    });
    document.getElementById('retry').addEventListener('click', function () {
      run(
        config.locales.find(function (l) {
          return l.locale === picker.value;
        }),
      );
    });
    run(choice);
  }

  main().catch(function (err) {
    console.warn('web chat could not load its settings', err);
    problem.hidden = false;
  });
})();
