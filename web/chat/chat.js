/*
 * The web chat page: reads /webchat/config.json, gets a Direct Line token (embedded Direct Line, or Azure's
 * through the server's token exchange), and renders Web Chat in the chosen language. Changing the language
 * starts a new conversation in that language. No inline script: the page's CSP forbids it. Web Chat's runtime
 * style sheets carry the nonce of this script's tag, which the CSP allows for styles.
 * Messages are markdown, never HTML: Web Chat renders raw HTML as text (markdownRenderHTML: false), and a text
 * with an unsafe link, image or reference definition (which Web Chat would list as a link) is shown as plain
 * text (window.SafeMarkdown of /shared/markdown.js decides). The server sanitises what it sends as well.
 *
 * The conversation survives a reload: its id, current token and language are kept in this tab's sessionStorage
 * (never localStorage or a cookie), and the page reconnects to it, showing the transcript the Direct Line keeps.
 * A token that expired or was revoked, or a conversation that is gone, starts a new conversation without a word.
 * "Start a new conversation" (and another language) ends the conversation on screen for the bot and forgets it
 * (a shared computer): see leave(). While a person is in the chat or a request for one waits, the customer is
 * asked first (see mayLeave). A duplicated tab inherits a copy of the
 * storage: it reconnects with a token of its own (the reconnect issues one), so neither tab's refresh revokes
 * the other's.
 */
(function () {
  'use strict';

  var nonce = (document.currentScript && document.currentScript.nonce) || undefined;
  var params = new URLSearchParams(window.location.search);
  var chat = document.getElementById('chat');
  var picker = document.getElementById('locale');
  var problem = document.getElementById('problem');
  var restart = document.getElementById('restart');
  var leaving = document.getElementById('leaving');
  var current; // { directLine, host, locale, domain } of the conversation on screen
  var starts = 0; // the latest start wins when the customer acts while one is under way
  /**
   * The question before leaving a hand-over (see mayLeave), per language of the chat: what is lost (`person`: a
   * person is in the chat; `waiting`: a request for one waits) and the button that keeps the chat. The button that
   * leaves is "Start a new conversation" of /webchat/config.json.
   */
  /** Where the conversation of this tab is kept. */
  var STORAGE_KEY = 'webchat.conversation';
  /** A reused token with less left than this is refreshed first: Web Chat's own refresh comes 15 minutes later. */
  var REFRESH_BELOW_SECONDS = 20 * 60;

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

  /**
   * The member of staff who wrote a message: the bot names them in its channelData (bots/customerChannel.ts,
   * textActivity). Undefined for the bot's own words.
   */
  function senderOf(activity) {
    var sender = activity && activity.from && activity.from.role === 'bot' && activity.channelData;
    var name = sender && sender.sender && sender.sender.name;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  }

  /**
   * A React element of `type` with `props` and `children` (text or elements), for Web Chat's middleware: the
   * bundle keeps its React (16) to itself, and an element is a plain object (React never reads text as markup).
   * `key` names it among its siblings.
   */
  function element(type, props, children, key) {
    return {
      $$typeof: Symbol.for('react.element'),
      type: type,
      key: key === undefined ? null : key,
      ref: null,
      props: Object.assign({}, props, { children: children }),
      _owner: null,
    };
  }

  /** Web Chat's avatar middleware: a member of staff's message shows their initials, not the bot's avatar. */
  function staffAvatar() {
    return function (next) {
      return function (args) {
        var name = senderOf(args.activity);
        if (!name) return next(args);
        return function () {
          return element('div', { className: 'sender-avatar', 'aria-hidden': true }, initials(name));
        };
      };
    };
  }

  /** Web Chat's activity status middleware: a member of staff's message is signed with their name. */
  function staffName() {
    return function (next) {
      return function (args) {
        var name = senderOf(args.activity);
        var status = next(args);
        if (!name) return status;
        // The time of a message in a group shows with the group's last (hideTimestamp): no separator then.
        return element('span', { className: 'sender-status' }, [
          element('span', { className: 'sender-name' }, name, 'name'),
          element('span', { className: args.hideTimestamp ? '' : 'sender-time' }, status, 'time'),
        ]);
      };
    };
  }

  /** `groups` cut where the speaker changes (the bot, or a member of staff by name). */
  function bySpeaker(groups) {
    return groups.reduce(function (cut, group) {
      group.forEach(function (activity, index) {
        if (index === 0 || senderOf(activity) !== senderOf(group[index - 1])) cut.push([]);
        cut[cut.length - 1].push(activity);
      });
      return cut;
    }, []);
  }

  /**
   * Web Chat's grouping middleware: the bot's and each member of staff's messages are groups of their own (Web
   * Chat groups by role, and all of them come from the bot), so each group shows its own avatar and time.
   */
  function groupBySpeaker() {
    return function (next) {
      return function (args) {
        var groups = next(args);
        return { sender: bySpeaker(groups.sender), status: bySpeaker(groups.status) };
      };
    };
  }

  /**
   * Web Chat's dates, plurals and units in the chat's locale through the browser's Intl, in place of the bundle's
   * Globalize, which formats every time with a 12-hour clock ("4:30 PM"): Polish, Norwegian and Indonesian
   * customers read a 24-hour one. The shape is what Web Chat calls (its PrecompiledGlobalize). A moment is its
   * time, then its day ("16:30, 7 grudnia"): Web Chat reads it after "sent at" ("Wysłano o", "Sendt klokken").
   */
  function intlGlobalize(locale) {
    var plural = new Intl.PluralRules(locale);
    var relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
    var times = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    var days = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric' });
    return {
      dateFormatter: function () {
        return function (date) {
          return times.format(date) + ', ' + days.format(date);
        };
      },
      relativeTimeFormatter: function (unit) {
        return function (value) {
          return relative.format(value, unit);
        };
      },
      unitFormatter: function (unit, options) {
        var numbers = new Intl.NumberFormat(locale, {
          style: 'unit',
          unit: unit,
          unitDisplay: options && options.form === 'long' ? 'long' : 'short',
        });
        return function (value) {
          return numbers.format(value);
        };
      },
      plural: function (value) {
        return plural.select(value);
      },
    };
  }

  /** Web Chat's own strings, formatting dates and numbers with intlGlobalize. */
  function localStrings(strings, locale) {
    return Object.assign({}, strings, { GLOBALIZE: intlGlobalize(locale) });
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

  /**
   * Web Chat's store, with the send box held to the Direct Line's longest message (`max` characters, as the
   * server's MAX_MESSAGE_CHARACTERS): a longer text (typed or pasted) is cut there, never between the halves of a
   * surrogate pair, and Web Chat's notification says why in the customer's language (`explanation`) until the
   * box is emptied (sent or cleared). Without it such a message could never be sent ("Send failed. Retry.").
   */
  function limitedStore(max, explanation) {
    var NOTICE = 'message-too-long';
    return window.WebChat.createStore({}, function (store) {
      return function (next) {
        return function (action) {
          if (action.type !== 'WEB_CHAT/SET_SEND_BOX' || typeof max !== 'number') return next(action);
          var text = (action.payload && action.payload.text) || '';
          if (text.length <= max) {
            var result = next(action);
            if (!text) store.dispatch({ type: 'WEB_CHAT/DISMISS_NOTIFICATION', payload: { id: NOTICE } });
            return result;
          }
          var end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
          var cut = next(
            Object.assign({}, action, {
              payload: Object.assign({}, action.payload, { text: text.slice(0, end) }),
            }),
          );
          store.dispatch({
            type: 'WEB_CHAT/SET_NOTIFICATION',
            payload: { id: NOTICE, level: 'warn', message: explanation },
          });
          return cut;
        };
      };
    });
  }

  /** This tab's sessionStorage, or undefined where the browser refuses storage (then nothing is kept). */
  function sessionStore() {
    try {
      return window.sessionStorage;
    } catch {
      return undefined;
    }
  }

  /** The conversation kept for this tab at this Direct Line `domain`, or undefined. */
  function stored(domain) {
    var store = sessionStore();
    try {
      var kept = JSON.parse((store && store.getItem(STORAGE_KEY)) || 'null');
      if (
        kept &&
        kept.domain === domain &&
        typeof kept.conversationId === 'string' &&
        typeof kept.token === 'string' &&
        typeof kept.locale === 'string'
      ) {
        return kept;
      }
    } catch {
      // Unreadable: as if nothing were kept.
    }
    return undefined;
  }

  /** Keeps the conversation on screen (its token changes on every refresh) for a reload of this tab. */
  function remember() {
    var store = sessionStore();
    if (!store || !current || !current.directLine.conversationId || !current.directLine.token) return;
    try {
      store.setItem(
        STORAGE_KEY,
        JSON.stringify({
          domain: current.domain,
          conversationId: current.directLine.conversationId,
          token: current.directLine.token,
          locale: current.locale,
        }),
      );
    } catch {
      // Storage full or refused: the next reload starts a new conversation.
    }
  }

  function forget() {
    var store = sessionStore();
    if (store) store.removeItem(STORAGE_KEY);
  }

  /** The claims of a token (a JWT), or an empty object when they cannot be read. */
  function claimsOf(token) {
    try {
      var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(window.atob(payload)) || {};
    } catch {
      return {};
    }
  }

  /** Seconds until the token expires by this browser's clock; 0 when it cannot be read. */
  function secondsLeft(token) {
    var exp = claimsOf(token).exp;
    return typeof exp === 'number' ? exp - Date.now() / 1000 : 0;
  }

  /**
   * The customer leaves the conversation on screen (a new one, another language): it is forgotten, and the bot is
   * told with an `endOfConversation` sent with its token (a waiting request for a person leaves the queue, an agent
   * learns the customer left), after which the built-in Direct Line refuses that token. Best effort: the new
   * conversation starts whatever becomes of it.
   */
  function leave() {
    forget();
    var directLine = current && current.directLine;
    if (!directLine || !directLine.conversationId || !directLine.token) return;
    var user = claimsOf(directLine.token).user;
    fetch(
      current.domain + '/conversations/' + encodeURIComponent(directLine.conversationId) + '/activities',
      {
        method: 'POST',
        headers: { authorization: 'Bearer ' + directLine.token, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'endOfConversation',
          from: typeof user === 'string' ? { id: user, role: 'user' } : { role: 'user' },
          locale: current.locale,
        }),
        credentials: 'omit',
      },
    ).catch(function (err) {
      console.warn('the bot could not be told that the conversation ended', err);
    });
  }

  /**
   * Where the hand-over of the conversation on screen stands ('none', 'waiting', 'person'), from the embedded
   * Direct Line (GET …/handover with the conversation's token). 'none' when it cannot be known: no conversation,
   * a token or conversation that is gone, or Azure's Direct Line, which has no such request.
   */
  async function handover() {
    var directLine = current && current.directLine;
    if (!directLine || !directLine.conversationId || !directLine.token) return 'none';
    try {
      var answer = await withToken(
        'GET',
        current.domain + '/conversations/' + encodeURIComponent(directLine.conversationId) + '/handover',
        directLine.token,
      );
      return (answer && answer.handover) || 'none';
    } catch {
      return 'none';
    }
  }

  /**
   * Whether the customer may leave the conversation on screen now: at once without a hand-over; else after they
   * confirm in a modal dialog in the chat's language (`choice`: its words from the server's locale files; focus on
   * "stay"; Escape stays too).
   */
  async function mayLeave(choice) {
    var state = await handover();
    if (state === 'none' || !current) return true;
    var locale = current.locale;
    var words = choice.leaving;
    document.getElementById('leavingText').textContent = words[state] || words.person;
    document.getElementById('stay').textContent = words.stay;
    document.getElementById('leave').textContent = choice.newConversation;
    leaving.lang = locale;
    leaving.returnValue = '';
    leaving.showModal();
    return new Promise(function (resolve) {
      leaving.addEventListener(
        'close',
        function () {
          resolve(leaving.returnValue === 'leave');
        },
        { once: true },
      );
    });
  }

  /** An authorised Direct Line request; undefined when the token or conversation is no longer good (401, 403, 404). */
  async function withToken(method, url, token) {
    var response = await fetch(url, {
      method: method,
      headers: { authorization: 'Bearer ' + token, accept: 'application/json' },
      credentials: 'omit',
    });
    if (response.status === 401 || response.status === 403 || response.status === 404) return undefined;
    if (!response.ok) throw new Error('direct line answered ' + response.status);
    return response.json();
  }

  /**
   * A fresh token for the kept conversation, or undefined when it cannot be resumed (then a new one starts).
   * The reconnect checks the token and the conversation and gives a token of its own (the embedded Direct Line
   * gives a new one); one that is near expiry is refreshed, so Web Chat's first refresh comes in time.
   */
  async function resumable(domain, kept) {
    var reconnected = await withToken(
      'GET',
      domain + '/conversations/' + encodeURIComponent(kept.conversationId) + '?watermark=',
      kept.token,
    );
    if (!reconnected || reconnected.conversationId !== kept.conversationId) return undefined;
    var token = typeof reconnected.token === 'string' ? reconnected.token : kept.token;
    if (secondsLeft(token) >= REFRESH_BELOW_SECONDS) return token;
    var refreshed = await withToken('POST', domain + '/tokens/refresh', token);
    return refreshed && typeof refreshed.token === 'string' ? refreshed.token : undefined;
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

  /** The Direct Line base URL; a relative one (the default) is this page's own origin, whatever its host name. */
  function directLineDomain(config) {
    return new URL(config.directLine.domain, window.location.href).href.replace(/\/$/, '');
  }

  /** Shows the conversation kept in `kept` (when it can be resumed) or a new one in the language `choice`. */
  async function start(config, choice, kept) {
    var mine = ++starts;
    if (current) {
      current.directLine.end();
      current.host.remove();
      current = undefined;
    }
    problem.hidden = true;
    document.documentElement.lang = choice.language;
    picker.value = choice.locale;
    restart.setAttribute('aria-label', choice.newConversation);
    restart.title = choice.newConversation;
    restart.lastElementChild.textContent = choice.newConversation;
    restart.hidden = false;
    var domain = directLineDomain(config);
    var token = kept ? await resumable(domain, kept) : undefined;
    if (mine !== starts) return;
    var directLine;
    if (token) {
      // Web Chat reconnects (GET conversations/:id) and receives the whole transcript kept by the Direct Line.
      directLine = window.WebChat.createDirectLine({
        token: token,
        conversationId: kept.conversationId,
        domain: domain,
        webSocket: true,
      });
    } else {
      forget();
      var grant = await fetchToken(config);
      if (mine !== starts) return;
      directLine = window.WebChat.createDirectLine({
        token: grant.token,
        domain: domain,
        webSocket: true,
        conversationStartProperties: { locale: choice.locale },
      });
    }
    var host = document.createElement('div');
    chat.appendChild(host);
    current = { directLine: directLine, host: host, locale: choice.locale, domain: domain };
    var shown = current;
    directLine.connectionStatus$.subscribe(function (status) {
      // 2: online, with the conversation id and the token Web Chat uses from now on.
      if (status === 2 && current === shown) remember();
    });
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: limitedStore(config.maxMessageLength, choice.messageTooLong),
        locale: choice.locale,
        nonce: nonce,
        attachmentMiddleware: plainUnlessSafe,
        avatarMiddleware: staffAvatar,
        activityStatusMiddleware: staffName,
        groupActivitiesMiddleware: groupBySpeaker,
        overrideLocalizedStrings: localStrings,
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
    var locales = config.locales;
    var byLocale = function (locale) {
      return locales.find(function (l) {
        return l.locale === locale;
      });
    };
    /** The kept conversation when its language is still offered. */
    var keptHere = function () {
      var kept = stored(directLineDomain(config));
      return kept && byLocale(kept.locale) ? kept : undefined;
    };
    var requested = params.get('locale');

    /** Shows `kept` in its own language, or a new conversation in `selected`. */
    function run(selected, kept) {
      var attempt = start(config, kept ? byLocale(kept.locale) : selected, kept);
      var mine = starts;
      attempt.catch(function (err) {
        // A start the customer has since replaced fails quietly: the chat on screen is another one.
        if (mine !== starts) return;
        console.warn('web chat could not start', err);
        problem.hidden = false;
      });
    }
    /**
     * Another language, or "Start a new conversation": the conversation on screen is left (and forgotten) once the
     * customer may leave it (mayLeave); else the picker goes back to the chat's language. One question at a time.
     */
    var deciding = false;
    async function startOver() {
      if (deciding) return;
      deciding = true;
      try {
        var leaves = await mayLeave(byLocale((current && current.locale) || picker.value));
        if (!leaves) {
          if (current) picker.value = current.locale;
          return;
        }
        leave();
        run(byLocale(picker.value));
      } finally {
        deciding = false;
      }
    }
    picker.addEventListener('change', startOver);
    restart.addEventListener('click', startOver);
    document.getElementById('stay').addEventListener('click', function () {
      leaving.close('stay');
    });
    document.getElementById('leave').addEventListener('click', function () {
      leaving.close('leave');
    });
    document.getElementById('retry').addEventListener('click', function () {
      run(byLocale(picker.value), keptHere());
    });
    // The token changes with every refresh: the latest one is kept whenever the page may go (a reload, a closed
    // or discarded tab).
    window.addEventListener('pagehide', remember);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') remember();
    });
    // After a reload the kept conversation goes on, in its own language.
    run(
      chooseLocale(locales, (requested ? [requested] : []).concat(window.Languages.preferences())),
      keptHere(),
    );
  }

  main().catch(function (err) {
    console.warn('web chat could not load its settings', err);
    problem.hidden = false;
  });
})();
