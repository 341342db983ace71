// Staff console: the queue (live over Server-Sent Events), take, the case conversation, reply, resolve, release.
// Every text that comes from the server (customer messages, summaries) is rendered with textContent, except the
// bot's and the agents' messages: they are markdown (as the customer sees them), rendered by SafeMarkdown
// (web/shared/markdown.js: raw HTML shown as text, only safe links). A reply draft belongs to its case. The
// console's own texts come from the server's `staff` catalog (Staff.texts, web/shared/staff.js): elements carry
// the message key in `data-text` or `data-label`.
'use strict';

(function () {
  const { Staff } = window;
  const session = Staff.session('agentToken');
  const WAITING_REFRESH_MS = 30000;
  const URGENT_PRIORITY = 3;
  /**
   * Waits before each new try when the live stream failed (a dropped connection, a server restarting, a proxy
   * answering 502 or 503 meanwhile); after the last one the agent is asked to reload the page.
   */
  const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 30000];
  const DRAFTS_KEY = 'agentDrafts';

  const $ = (id) => document.getElementById(id);
  const el = {
    connection: $('connection'),
    signOut: $('signOut'),
    signIn: $('signIn'),
    signInForm: $('signInForm'),
    token: $('token'),
    signInError: $('signInError'),
    workspace: $('workspace'),
    queue: $('queue'),
    queueHeading: $('queueHeading'),
    queueCount: $('queueCount'),
    queueEmpty: $('queueEmpty'),
    assigned: $('assigned'),
    assignedEmpty: $('assignedEmpty'),
    casePanel: $('casePanel'),
    caseHeading: $('caseHeading'),
    caseState: $('caseState'),
    caseFacts: $('caseFacts'),
    conversation: $('conversation'),
    messageForm: $('messageForm'),
    messageText: $('messageText'),
    messageHint: $('messageHint'),
    sendButton: $('sendButton'),
    resolveButton: $('resolveButton'),
    releaseButton: $('releaseButton'),
    closeButton: $('closeButton'),
    notice: $('notice'),
  };

  const reasons = {
    request: 'reasonRequest',
    complaint: 'reasonComplaint',
    'no-match': 'reasonNoMatch',
    'not-helpful': 'reasonNotHelpful',
    'low-rating': 'reasonLowRating',
  };
  /** Channels staff know by name; another channel is shown by its id. */
  const channels = {
    webchat: 'channelWebchat',
    msteams: 'channelTeams',
  };
  const states = {
    queued: 'stateQueued',
    assigned: 'stateAssigned',
    resolved: 'stateResolved',
    cancelled: 'stateCancelled',
    left: 'stateLeft',
    expired: 'stateExpired',
    abandoned: 'stateAbandoned',
  };

  /** The console's language (a catalog locale) and its texts, from /api/agent/messages. */
  let locale = 'en';
  let t = (key) => key;
  let language = (code) => code;

  /** Who is signed in (`{id, name, role}` from /api/agent/me). */
  let me = null;
  /** Open cases by id: queued and assigned ones. */
  const cases = new Map();
  /**
   * The queue's order: the ids of the waiting cases as the server last listed them (handoff/queue.ts: the one order,
   * the same that customers' places are counted by). The console never sorts the queue itself: a case that came
   * into the queue since (new, or released) is shown last until the server's list with it arrives, which the
   * console asks for at once (see refreshQueue).
   */
  let queueOrder = [];
  /** Whether the lists were loaded since the sign-in: until then, their empty lines claim nothing. */
  let listsLoaded = false;
  /** The case shown on the right, with the ids of the messages already on screen. */
  let current = null;
  /**
   * What was typed and not yet sent: reply drafts by case (`reply`) and closing notes by follow-up (`note`), in
   * sessionStorage. A text comes back with its case or follow-up only. They outlast an expired sign-in and a
   * reload of the page (the next sign-in finds them) but not the Sign out button, nor a sign-in by someone else,
   * nor their case or follow-up: one that is closed or someone else's (when the lists load, and when the live
   * stream says so) takes its draft with it.
   */
  const drafts = (() => {
    function read() {
      try {
        const stored = JSON.parse(sessionStorage.getItem(DRAFTS_KEY) || 'null');
        if (stored && typeof stored.texts === 'object' && stored.texts) return stored;
      } catch {
        // Unreadable: start afresh.
      }
      return { owner: null, texts: {} };
    }
    function write(stored) {
      try {
        sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(stored));
      } catch {
        // Storage full or refused: the text stays in its box on this page.
      }
    }
    const keyOf = (kind, id) => `${kind}:${id}`;
    return Object.freeze({
      get: (kind, id) => {
        const { texts } = read();
        return Object.hasOwn(texts, keyOf(kind, id)) ? String(texts[keyOf(kind, id)]) : '';
      },
      /** Keeps `text` (an empty text forgets it). */
      set(kind, id, text) {
        const stored = read();
        if (text) stored.texts[keyOf(kind, id)] = text;
        else delete stored.texts[keyOf(kind, id)];
        write(stored);
      },
      delete(kind, id) {
        this.set(kind, id, '');
      },
      /** Drops the drafts of `kind` whose case or follow-up is not among `ids` (no longer this agent's to do). */
      keepOnly(kind, ids) {
        const stored = read();
        const prefix = keyOf(kind, '');
        for (const key of Object.keys(stored.texts))
          if (key.startsWith(prefix) && !ids.has(key.slice(prefix.length))) delete stored.texts[key];
        write(stored);
      },
      /** The drafts are `owner`'s from now on; someone else's are dropped. */
      claim(owner) {
        const stored = read();
        write(stored.owner === owner ? stored : { owner, texts: {} });
      },
      clear: () => sessionStorage.removeItem(DRAFTS_KEY),
    });
  })();
  /** Cases whose reply is on its way: one at a time (Enter pressed twice must not send it twice). */
  const sending = new Set();
  /**
   * Cases this page is taking, resolving or releasing: the live stream may tell of the change before the answer
   * arrives, and the page's own notice about it is the one said (see onCaseEvent).
   */
  const acting = new Set();
  let events = null;
  let waitingTimer = null;
  /** Tries of the live stream that failed since it was last open, and the timer of the next try. */
  let failures = 0;
  let retryTimer = null;

  // ---- helpers ----

  const shown = (text) => Staff.shown(text, t);
  const problem = (err) => Staff.errorText(err, t);

  async function loadMessages() {
    const texts = await Staff.texts('/api/agent/messages');
    ({ locale, t, language } = texts);
    texts.apply();
  }

  const api = Staff.api(session);
  // The sign-in ended on the server (revoked or expired token): every call that finds out comes here.
  session.onEnded(() => signOut(t('signInExpired')));
  const call = (path, method, body) => api(path, { method, body });

  function node(tag, className, text) {
    return Staff.el(tag, { class: className || undefined, text });
  }

  /**
   * A message of a conversation, shown as its reader saw it: the bot's and agents' messages are markdown (stored
   * sanitised), rendered safely, never as raw HTML; the customer's text is plain text.
   */
  function messageText(from, text) {
    if (from === 'customer') return node('span', 'text', shown(text));
    const rendered = node('span', 'text md');
    rendered.innerHTML = window.SafeMarkdown.render(shown(text));
    return rendered;
  }

  function say(text) {
    el.notice.textContent = text;
  }

  /** Tells the agent what went wrong, unless it was their sign-in: a 401 has signed them out (see `api`). */
  function sayProblem(err) {
    if (err.status !== 401) say(problem(err));
  }

  // The follow-up inbox (followups.js) uses the same helpers and the same event stream. `t` and `language`
  // change when the texts are loaded, so they are passed as calls, not as the functions of this moment.
  window.agentConsole = {
    t: (key, params) => t(key, params),
    api: call,
    node,
    messageText,
    shown,
    problem,
    language: (code) => language(code),
    say,
    locale: () => locale,
    drafts,
    /** Who is signed in (`{id, name, role}`), or null. */
    me: () => me,
  };

  function waiting(since) {
    const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60000));
    if (minutes < 1) return t('waitingUnderAMinute');
    if (minutes < 60) return t('waitingMinutes', { minutes });
    return t('waitingHours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  }

  function summaryOf(c) {
    return c.summary ? shown(c.summary) : t('noDescription');
  }

  function agentOf(c) {
    return c.agentName || t('anAgent');
  }

  function reasonOf(c) {
    return reasons[c.reason] ? t(reasons[c.reason]) : c.reason;
  }

  function channelOf(c) {
    return Object.hasOwn(channels, c.channel) ? t(channels[c.channel]) : c.channel;
  }

  /** Where a waiting case stands in the server's order (one it did not list yet: after all it did). */
  function placeInQueue(c) {
    const index = queueOrder.indexOf(c.id);
    return index < 0 ? queueOrder.length : index;
  }

  // ---- the lists ----

  /**
   * Draws both lists anew (on every case event and every 30 s), each with its empty line (Staff.emptyLine: read
   * out when a list empties or fills; nothing before the first load). A Take or Open button that had the keyboard
   * focus gets it back in its new row; when its case left that list, the focus goes to the queue's heading.
   */
  function renderLists() {
    const active = document.activeElement;
    const row = active && active.closest('li[data-case-id]');
    const focused = row && { caseId: row.dataset.caseId, button: active.className };
    const queued = [...cases.values()]
      .filter((c) => c.status === 'queued')
      .sort((a, b) => placeInQueue(a) - placeInQueue(b));
    const assigned = [...cases.values()]
      .filter((c) => c.status === 'assigned')
      .sort((a, b) => Date.parse(a.assignedAt) - Date.parse(b.assignedAt));

    el.queue.replaceChildren(...queued.map(queueItem));
    el.queueCount.textContent = queued.length ? `(${queued.length})` : '';
    Staff.emptyLine(el.queueEmpty, queued.length, listsLoaded ? t('queueEmpty') : '');
    el.assigned.replaceChildren(...assigned.map(assignedItem));
    Staff.emptyLine(el.assignedEmpty, assigned.length, listsLoaded ? t('assignedEmpty') : '');
    if (focused) {
      const again = [...el.queue.children, ...el.assigned.children].find(
        (item) => item.dataset.caseId === focused.caseId,
      );
      const button = again && again.querySelector(`button.${focused.button}`);
      (button || el.queueHeading).focus();
    }
  }

  function queueItem(c) {
    const item = node('li', c.priority >= URGENT_PRIORITY ? 'urgent' : '');
    item.dataset.caseId = c.id;
    item.append(
      node('span', 'summary', summaryOf(c)),
      node(
        'span',
        'meta',
        `${language(c.locale)} · ${t('priorityOf', { priority: c.priority })} · ${reasonOf(c)} · ${waiting(c.createdAt)}`,
      ),
    );
    const take = node('button', 'take', t('take'));
    take.type = 'button';
    take.setAttribute(
      'aria-label',
      t('takeCase', { summary: c.summary ? shown(c.summary) : t('caseWithoutDescription') }),
    );
    take.addEventListener('click', () => takeCase(c.id, take));
    item.append(take);
    return item;
  }

  function assignedItem(c) {
    const item = node('li');
    item.dataset.caseId = c.id;
    item.append(
      node('span', 'summary', summaryOf(c)),
      node('span', 'meta', `${language(c.locale)} · ${t('withAgent', { agent: agentOf(c) })}`),
    );
    const open = node('button', 'open', t('open'));
    open.type = 'button';
    open.setAttribute(
      'aria-label',
      t('openCase', { summary: c.summary ? shown(c.summary) : t('caseWithoutDescription') }),
    );
    open.addEventListener('click', () => openCase(c.id).catch(sayProblem));
    item.append(open);
    return item;
  }

  /** For each list load in flight: the case views the stream brought meanwhile (see loadLists()). */
  const loading = new Set();
  /** List loads asked for, and the number of the newest one shown (an older one that answers late is dropped). */
  let listsAsked = 0;
  let listsShown = 0;

  /**
   * Replaces the lists with the server's (the queue in the server's order). A case event that arrives while they
   * are read may be newer than what they hold (a case opened just after the server read the queue): such views are
   * applied again over them. Lists that come back after newer ones are dropped.
   */
  async function loadLists() {
    const asked = ++listsAsked;
    const arrived = [];
    loading.add(arrived);
    try {
      const [queued, assigned] = await Promise.all([
        call('/api/agent/cases?status=queued'),
        call('/api/agent/cases?status=assigned'),
      ]);
      if (asked < listsShown) return;
      listsShown = asked;
      cases.clear();
      for (const c of [...queued, ...assigned]) cases.set(c.id, c);
      queueOrder = queued.map((c) => c.id);
      listsLoaded = true;
      for (const view of arrived) applyView(view);
    } finally {
      loading.delete(arrived);
    }
    // A reply typed for a case that closed, or went to someone else, while the agent was away is of no use
    // (lists read while the sign-in ended decide nothing: the drafts outlast it).
    if (me) drafts.keepOnly('reply', new Set([...cases.values()].filter(workable).map((c) => c.id)));
    renderLists();
  }

  /** A reload of the lists for the queue's order is under way, and whether another is due after it. */
  let refreshing = false;
  let refreshAgain = false;

  /**
   * Asks the server for the queue's order again: a case came into the queue (new, or released by its agent) and
   * only the server knows its place. Loads coalesce: one at a time, and one more after it when asked meanwhile.
   */
  function refreshQueue() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    loadLists()
      .catch(sayProblem)
      .finally(() => {
        refreshing = false;
        if (refreshAgain && me) {
          refreshAgain = false;
          refreshQueue();
        }
      });
  }

  // ---- actions ----

  async function takeCase(caseId, button) {
    button.disabled = true;
    acting.add(caseId);
    try {
      const taken = await call(`/api/agent/cases/${encodeURIComponent(caseId)}/take`, 'POST', {});
      cases.set(taken.id, taken);
      renderLists();
      say(deliveryNote(taken));
      await openCase(taken.id);
    } catch (err) {
      button.disabled = false;
      if (err.status === 409) {
        say(t('someoneElseTook'));
        const c = cases.get(caseId);
        if (c && c.status === 'queued') cases.delete(caseId);
        renderLists();
        // The row with the pressed button is gone: the keyboard goes back to the queue.
        el.queueHeading.focus();
      } else {
        sayProblem(err);
      }
    } finally {
      acting.delete(caseId);
    }
  }

  async function openCase(caseId) {
    const detail = await call(`/api/agent/cases/${encodeURIComponent(caseId)}`);
    current = { id: detail.id, view: detail, shown: new Set() };
    el.caseHeading.textContent = summaryOf(detail);
    renderFacts(detail);
    el.messageText.value = drafts.get('reply', detail.id);
    checkLength();
    el.conversation.replaceChildren();
    for (const line of detail.transcript) addLine(line.from, undefined, line.text);
    el.conversation.append(node('li', 'divider', t('handedOver')));
    for (const message of detail.messages) addMessage(message);
    renderCaseState();
    el.casePanel.hidden = false;
    // The latest lines in view, as in a chat: the lines were added while the panel was hidden (nothing scrolled).
    el.conversation.scrollTop = el.conversation.scrollHeight;
    el.caseHeading.focus();
  }

  function renderFacts(c) {
    const facts = [
      [t('language'), language(c.locale)],
      [t('priority'), String(c.priority)],
      [t('reason'), reasonOf(c)],
      [t('channel'), channelOf(c)],
      // Since the customer asked: a release does not make them start again.
      [t('waitingSince'), new Date(c.createdAt).toLocaleString(locale)],
      ...(c.contact && c.contact.email ? [[t('email'), c.contact.email]] : []),
      ...(c.contact && c.contact.phone ? [[t('phone'), c.contact.phone]] : []),
    ];
    el.caseFacts.replaceChildren(
      ...facts.flatMap(([term, value]) => [node('dt', '', term), node('dd', '', value)]),
    );
  }

  /** Another agent's case: an agent may read it, not act on it (an admin may act on any case). */
  function othersCase(c) {
    return c.status === 'assigned' && me.role !== 'admin' && c.agentId !== me.id;
  }

  /**
   * A case this agent may still reply in: waiting (a case of theirs that went back to the queue when their
   * sign-in ended is theirs to take again) or assigned to them (an admin: to anyone).
   */
  function workable(c) {
    return c.status === 'queued' || (c.status === 'assigned' && !othersCase(c));
  }

  function renderCaseState() {
    const c = current.view;
    const readOnly = othersCase(c);
    const key = readOnly ? 'stateAssignedReadOnly' : states[c.status];
    el.caseState.textContent = key ? t(key, { agent: agentOf(c) }) : c.status;
    const open = c.status === 'assigned' && !readOnly;
    el.messageText.disabled = !open;
    el.sendButton.disabled = !open || sending.has(c.id);
    el.resolveButton.disabled = !open;
    el.releaseButton.disabled = !open;
  }

  function addLine(from, name, line) {
    const item = node('li', `from-${from}`);
    const who = from === 'customer' ? t('customer') : from === 'bot' ? t('bot') : name || t('agent');
    item.append(node('span', 'who', `${who}:`), messageText(from, line));
    el.conversation.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function addMessage(message) {
    if (current.shown.has(message.id)) return;
    current.shown.add(message.id);
    addLine(message.from, message.agentName, message.text);
  }

  /** What the stream missed while it was down: the open case's state and messages (a draft stays as it is). */
  async function reloadCase() {
    if (!current) return;
    const { id } = current;
    const detail = await call(`/api/agent/cases/${encodeURIComponent(id)}`);
    if (!current || current.id !== id) return;
    current.view = detail;
    for (const message of detail.messages) addMessage(message);
    renderCaseState();
  }

  function keepDraft() {
    if (current) drafts.set('reply', current.id, el.messageText.value);
  }

  /**
   * The longest reply the server relays (MAX_AGENT_MESSAGE_CHARS), counted as it counts: without the blanks
   * around it. The box takes a longer text whole (a paste is never cut); the hint then says by how much it is
   * over, and the notice says it once when it goes over.
   */
  const MAX_REPLY = Number(el.messageText.dataset.maxLength);
  let overLimit = false;

  /** The over-limit text for a reply of `length` characters, or '' when it can be sent. */
  function overLimitText(length) {
    if (length <= MAX_REPLY) return '';
    const number = new Intl.NumberFormat(locale);
    return t('messageOverLimit', {
      length: number.format(length),
      max: number.format(MAX_REPLY),
      over: number.format(length - MAX_REPLY),
    });
  }

  function checkLength() {
    const over = overLimitText(el.messageText.value.trim().length);
    el.messageHint.textContent = over || t('messageHint');
    el.messageText.setAttribute('aria-invalid', String(Boolean(over)));
    if (Boolean(over) !== overLimit) say(over);
    overLimit = Boolean(over);
  }

  /** What sanitising took out of a sent reply (the API's `removed`), worded for the agent; '' when nothing. */
  function removedNote(removed) {
    if (!removed) return '';
    const tags = removed.tags.map((tag) => (tag === '!--' ? '<!-- -->' : `<${tag}>`)).join(', ');
    return [
      removed.tags.length ? t('sentWithoutHtml', { tags }) : '',
      removed.unsafeLinks ? t('sentWithoutUnsafeLinks') : '',
      removed.shownAsText ? t('sentAsText') : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  async function sendMessage(event) {
    event.preventDefault();
    const text = el.messageText.value.trim();
    if (!text || !current || sending.has(current.id)) return;
    if (overLimitText(text.length)) {
      say(overLimitText(text.length));
      el.messageText.focus();
      return;
    }
    // The agent may open another case while this one is sent: the answer concerns this case only.
    const { id } = current;
    sending.add(id);
    renderCaseState();
    try {
      const message = await call(`/api/agent/cases/${encodeURIComponent(id)}/messages`, 'POST', { text });
      drafts.delete('reply', id);
      if (current && current.id === id) {
        addMessage(message);
        el.messageText.value = '';
        checkLength();
      }
      say(removedNote(message.removed));
    } catch (err) {
      // Signed out (see `api`): the text stays in the message box for after the next sign-in.
      if (err.status === 401) el.signInError.textContent = `${t('signInExpired')} ${t('draftKept')}`;
      else say(t('notSent', { message: problem(err) }));
    } finally {
      sending.delete(id);
      if (current) renderCaseState();
      if (current && current.id === id) el.messageText.focus();
    }
  }

  /** A change is saved even when the customer's channel did not answer; the agent should know. */
  function deliveryNote(result) {
    return result.delivery === 'failed' ? t('notDelivered') : '';
  }

  async function closeCase(action) {
    if (!current) return;
    const { id } = current;
    acting.add(id);
    try {
      const view = await call(`/api/agent/cases/${encodeURIComponent(id)}/${action}`, 'POST', {});
      drafts.delete('reply', view.id);
      updateCase(view);
      say(`${t(action === 'resolve' ? 'resolvedNotice' : 'releasedNotice')} ${deliveryNote(view)}`.trim());
      hideCase();
    } catch (err) {
      sayProblem(err);
    } finally {
      acting.delete(id);
    }
  }

  function hideCase() {
    current = null;
    el.casePanel.hidden = true;
    el.queueHeading.focus();
  }

  // ---- live updates ----

  /** Notes a case's new state unless the lists already hold a newer one. */
  function applyView(view) {
    const known = cases.get(view.id);
    if (known && Date.parse(known.updatedAt) > Date.parse(view.updatedAt)) return;
    if (view.status === 'queued' || view.status === 'assigned') cases.set(view.id, view);
    else cases.delete(view.id);
  }

  function updateCase(view) {
    for (const arrived of loading) arrived.push(view);
    const entersQueue = view.status === 'queued' && !queueOrder.includes(view.id);
    applyView(view);
    if (entersQueue && me) refreshQueue();
    const known = cases.get(view.id);
    if (me && (!known || !workable(known))) drafts.delete('reply', view.id);
    renderLists();
    if (current && current.id === view.id) {
      current.view = { ...current.view, ...view };
      renderCaseState();
    }
  }

  /**
   * A change the stream tells of, with at most one notice about it (a polite status line): a new case; the
   * customer left the case the agent has or has open; someone else took the case whose Take button had the
   * keyboard (the focus goes back to the queue's heading, see renderLists); someone else changed the case open on
   * the right (taken over, resolved, released, expired: its new state). The page's own actions say their own.
   */
  function onCaseEvent(event) {
    const view = event.caseView;
    // Not the page's own take, resolve or release (takeCase and closeCase say their own), nor a message (no change).
    const byOthers = !acting.has(view.id) && event.type !== 'message';
    const opened = current && current.id === view.id ? current.view : null;
    const row = document.activeElement && document.activeElement.closest('#queue li[data-case-id]');
    const hadFocus = !!row && row.dataset.caseId === view.id;
    updateCase(view);
    if (event.type === 'message' && event.message && current && current.id === view.id) {
      addMessage(event.message);
    }
    if (event.type === 'created') {
      say(t('newCase', { summary: summaryOf(view) }));
    } else if (event.type === 'left') {
      // The customer left: the agent who had the case, or has it open, should not go on writing to nobody.
      if (view.agentId && (view.agentId === me.id || opened))
        say(t('customerLeft', { summary: summaryOf(view) }));
    } else if (byOthers && hadFocus && view.status === 'assigned' && view.agentId !== me.id) {
      say(t('someoneElseTook'));
    } else if (byOthers && opened && (opened.status !== view.status || opened.agentId !== view.agentId)) {
      say(el.caseState.textContent);
    }
  }

  function connect() {
    disconnect();
    const stream = new EventSource(`/api/agent/events?token=${encodeURIComponent(session.get())}`);
    events = stream;
    stream.addEventListener('open', () => {
      failures = 0;
      el.connection.textContent = t('live');
      // Whatever happened while the stream was down: reload the lists and the open case.
      Promise.all([loadLists(), reloadCase()]).catch(sayProblem);
    });
    stream.addEventListener('message', (message) => onCaseEvent(JSON.parse(message.data)));
    document.dispatchEvent(new CustomEvent('agent:connected', { detail: stream }));
    stream.addEventListener('error', () => {
      if (stream !== events) return;
      // Dropped or refused. The page retries itself, with growing waits (the browser's own retry would try
      // forever, and not at all after a refusal such as a proxy's 502). EventSource does not tell why it failed;
      // when the sign-in ended (a revoked token), asking who is signed in answers 401 and the agent is signed out
      // (session.onEnded above); otherwise the stream is tried again.
      stream.close();
      el.connection.textContent = t('reconnecting');
      call('/api/agent/me')
        .catch(() => undefined)
        .then(() => {
          if (stream === events) retry();
        });
    });
  }

  /** The next try of the live stream after a wait, or, after the last one, the request to reload the page. */
  function retry() {
    disconnect();
    if (failures >= RETRY_DELAYS_MS.length) {
      el.connection.textContent = t('liveStopped');
      return;
    }
    el.connection.textContent = t('reconnecting');
    retryTimer = setTimeout(connect, RETRY_DELAYS_MS[failures]);
    failures += 1;
  }

  function disconnect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (events) events.close();
    events = null;
  }

  // ---- sign in / out ----

  async function start() {
    el.signIn.hidden = true;
    el.workspace.hidden = false;
    el.signOut.hidden = false;
    me = await call('/api/agent/me');
    // Drafts kept over an expired sign-in are for the same person only.
    drafts.claim(me.name);
    await loadLists();
    el.queueHeading.focus();
    failures = 0;
    connect();
    clearInterval(waitingTimer);
    // The lists again from the server (covers an event the stream missed) and the waiting times with them.
    waitingTimer = setInterval(() => loadLists().catch(renderLists), WAITING_REFRESH_MS);
  }

  function signOut(message) {
    session.clear();
    document.dispatchEvent(new Event('agent:signedout'));
    disconnect();
    clearInterval(waitingTimer);
    cases.clear();
    queueOrder = [];
    listsLoaded = false;
    // Nothing of this sign-in's lists is shown to the next one before its own lists are loaded.
    renderLists();
    current = null;
    me = null;
    el.workspace.hidden = true;
    el.casePanel.hidden = true;
    el.signOut.hidden = true;
    el.signIn.hidden = false;
    el.connection.textContent = '';
    say('');
    el.signInError.textContent = message || '';
    el.token.focus();
  }

  el.signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = el.token.value.trim();
    if (!value) {
      el.signInError.textContent = t('enterToken');
      return;
    }
    session.set(value);
    el.token.value = '';
    el.signInError.textContent = '';
    try {
      await start();
    } catch (err) {
      if (err.status !== 401) signOut(problem(err));
    }
  });

  el.signOut.addEventListener('click', () => {
    drafts.clear();
    signOut();
  });
  // Back online after the live stream gave up: it is tried again at once.
  window.addEventListener('online', () => {
    if (me && !events) {
      failures = 0;
      connect();
    }
  });
  el.messageForm.addEventListener('submit', sendMessage);
  el.messageText.addEventListener('input', () => {
    keepDraft();
    checkLength();
  });
  el.messageText.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.messageForm.requestSubmit();
    }
  });
  el.resolveButton.addEventListener('click', () => closeCase('resolve'));
  el.releaseButton.addEventListener('click', () => closeCase('release'));
  el.closeButton.addEventListener('click', hideCase);

  loadMessages()
    .catch((err) => say(problem(err)))
    .then(() => {
      if (session.get()) start().catch((err) => signOut(problem(err)));
      else el.token.focus();
    });
})();
