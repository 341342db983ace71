// Staff console: the queue (live over Server-Sent Events), take, the case conversation, reply, resolve, release.
// Every text that comes from the server (customer and agent messages, summaries) is rendered with textContent.
'use strict';

(function () {
  const TOKEN_KEY = 'agentToken';
  const WAITING_REFRESH_MS = 30000;
  const URGENT_PRIORITY = 3;

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
    sendButton: $('sendButton'),
    resolveButton: $('resolveButton'),
    releaseButton: $('releaseButton'),
    closeButton: $('closeButton'),
    notice: $('notice'),
  };

  const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
  const reasons = {
    request: 'asked for a person',
    complaint: 'complaint',
    'no-match': 'questions the bot could not answer',
    'not-helpful': 'an answer did not help',
    'low-rating': 'low satisfaction rating',
  };

  /** Open cases by id: queued and assigned ones. */
  const cases = new Map();
  /** The case shown on the right, with the ids of the messages already on screen. */
  let current = null;
  let events = null;
  let waitingTimer = null;

  // ---- helpers ----

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, method = 'GET', body) {
    const response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      if (response.status === 401) signOut('Your sign-in is no longer valid. Please sign in again.');
      throw new ApiError(
        response.status,
        (data && data.message) || `The server answered ${response.status}.`,
      );
    }
    return data;
  }

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function say(text) {
    el.notice.textContent = text;
  }

  function language(locale) {
    try {
      return languageNames.of(locale) || locale;
    } catch {
      return locale;
    }
  }

  function waiting(since) {
    const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60000));
    if (minutes < 1) return 'waiting less than a minute';
    if (minutes < 60) return `waiting ${minutes} min`;
    return `waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function byQueueOrder(a, b) {
    return b.priority - a.priority || Date.parse(a.queuedAt) - Date.parse(b.queuedAt);
  }

  // ---- the lists ----

  function renderLists() {
    const queued = [...cases.values()].filter((c) => c.status === 'queued').sort(byQueueOrder);
    const assigned = [...cases.values()]
      .filter((c) => c.status === 'assigned')
      .sort((a, b) => Date.parse(a.assignedAt) - Date.parse(b.assignedAt));

    el.queue.replaceChildren(...queued.map(queueItem));
    el.queueCount.textContent = queued.length ? `(${queued.length})` : '';
    el.queueEmpty.hidden = queued.length > 0;
    el.assigned.replaceChildren(...assigned.map(assignedItem));
    el.assignedEmpty.hidden = assigned.length > 0;
  }

  function queueItem(c) {
    const item = node('li', c.priority >= URGENT_PRIORITY ? 'urgent' : '');
    item.dataset.caseId = c.id;
    item.append(
      node('span', 'summary', c.summary || '(no description)'),
      node(
        'span',
        'meta',
        `${language(c.locale)} · priority ${c.priority} · ${reasons[c.reason] || c.reason} · ${waiting(c.queuedAt)}`,
      ),
    );
    const take = node('button', 'take', 'Take');
    take.type = 'button';
    take.setAttribute('aria-label', `Take: ${c.summary || 'case without description'}`);
    take.addEventListener('click', () => takeCase(c.id, take));
    item.append(take);
    return item;
  }

  function assignedItem(c) {
    const item = node('li');
    item.dataset.caseId = c.id;
    item.append(
      node('span', 'summary', c.summary || '(no description)'),
      node('span', 'meta', `${language(c.locale)} · with ${c.agentName || 'an agent'}`),
    );
    const open = node('button', 'open', 'Open');
    open.type = 'button';
    open.setAttribute('aria-label', `Open: ${c.summary || 'case without description'}`);
    open.addEventListener('click', () => openCase(c.id));
    item.append(open);
    return item;
  }

  async function loadLists() {
    const [queued, assigned] = await Promise.all([
      api('/api/agent/cases?status=queued'),
      api('/api/agent/cases?status=assigned'),
    ]);
    cases.clear();
    for (const c of [...queued, ...assigned]) cases.set(c.id, c);
    renderLists();
  }

  // ---- actions ----

  async function takeCase(caseId, button) {
    button.disabled = true;
    try {
      const taken = await api(`/api/agent/cases/${encodeURIComponent(caseId)}/take`, 'POST', {});
      cases.set(taken.id, taken);
      renderLists();
      say('');
      await openCase(taken.id);
    } catch (err) {
      button.disabled = false;
      if (err.status === 409) {
        say(`Someone else took it. ${err.message}`);
        const c = cases.get(caseId);
        if (c && c.status === 'queued') cases.delete(caseId);
        renderLists();
      } else {
        say(err.message);
      }
    }
  }

  async function openCase(caseId) {
    const detail = await api(`/api/agent/cases/${encodeURIComponent(caseId)}`);
    current = { id: detail.id, view: detail, shown: new Set() };
    el.caseHeading.textContent = detail.summary || '(no description)';
    renderFacts(detail);
    el.conversation.replaceChildren();
    for (const line of detail.transcript)
      addLine(line.from, line.from === 'agent' ? 'Agent' : undefined, line.text);
    el.conversation.append(node('li', 'divider', 'Handed over to staff'));
    for (const message of detail.messages) addMessage(message);
    renderCaseState();
    el.casePanel.hidden = false;
    el.caseHeading.focus();
  }

  function renderFacts(c) {
    const facts = [
      ['Language', language(c.locale)],
      ['Priority', String(c.priority)],
      ['Reason', reasons[c.reason] || c.reason],
      ['Channel', c.channel],
      ['Waiting since', new Date(c.queuedAt).toLocaleString()],
      ...(c.contact && c.contact.email ? [['E-mail', c.contact.email]] : []),
      ...(c.contact && c.contact.phone ? [['Phone', c.contact.phone]] : []),
    ];
    el.caseFacts.replaceChildren(
      ...facts.flatMap(([term, value]) => [node('dt', '', term), node('dd', '', value)]),
    );
  }

  function renderCaseState() {
    const c = current.view;
    const labels = {
      queued: 'Waiting in the queue',
      assigned: `Taken by ${c.agentName || 'an agent'}`,
      resolved: `Resolved by ${c.agentName || 'an agent'}`,
      cancelled: 'Cancelled by the customer',
      expired: 'Left as a message (nobody took it in time)',
      abandoned: 'Closed: the customer can no longer be reached',
    };
    el.caseState.textContent = labels[c.status] || c.status;
    const open = c.status === 'assigned';
    el.messageText.disabled = !open;
    el.sendButton.disabled = !open;
    el.resolveButton.disabled = !open;
    el.releaseButton.disabled = !open;
  }

  function addLine(from, name, text) {
    const item = node('li', `from-${from}`);
    const who = from === 'customer' ? 'Customer' : from === 'bot' ? 'Bot' : name || 'Agent';
    item.append(node('span', 'who', `${who}:`), node('span', 'text', text));
    el.conversation.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function addMessage(message) {
    if (current.shown.has(message.id)) return;
    current.shown.add(message.id);
    addLine(message.from, message.agentName, message.text);
  }

  async function sendMessage(event) {
    event.preventDefault();
    const text = el.messageText.value.trim();
    if (!text || !current) return;
    el.sendButton.disabled = true;
    try {
      const message = await api(`/api/agent/cases/${encodeURIComponent(current.id)}/messages`, 'POST', {
        text,
      });
      addMessage(message);
      el.messageText.value = '';
      say('');
    } catch (err) {
      say(`Not sent: ${err.message}`);
    } finally {
      el.sendButton.disabled = current.view.status !== 'assigned';
      el.messageText.focus();
    }
  }

  async function closeCase(action) {
    if (!current) return;
    try {
      const view = await api(`/api/agent/cases/${encodeURIComponent(current.id)}/${action}`, 'POST', {});
      updateCase(view);
      say(action === 'resolve' ? 'Resolved: the customer is back with the bot.' : 'Released to the queue.');
      hideCase();
    } catch (err) {
      say(err.message);
    }
  }

  function hideCase() {
    current = null;
    el.casePanel.hidden = true;
    el.queueHeading.focus();
  }

  // ---- live updates ----

  function updateCase(view) {
    if (view.status === 'queued' || view.status === 'assigned') cases.set(view.id, view);
    else cases.delete(view.id);
    renderLists();
    if (current && current.id === view.id) {
      current.view = { ...current.view, ...view };
      renderCaseState();
    }
  }

  function onCaseEvent(event) {
    updateCase(event.caseView);
    if (event.type === 'message' && event.message && current && current.id === event.caseView.id) {
      addMessage(event.message);
    }
    if (event.type === 'created') say(`New case waiting: ${event.caseView.summary || '(no description)'}`);
  }

  function connect() {
    disconnect();
    events = new EventSource(`/api/agent/events?token=${encodeURIComponent(token())}`);
    events.addEventListener('open', () => {
      el.connection.textContent = 'Live';
      // Whatever happened while the stream was down: reload the lists.
      loadLists().catch((err) => say(err.message));
    });
    events.addEventListener('message', (message) => onCaseEvent(JSON.parse(message.data)));
    events.addEventListener('error', () => {
      el.connection.textContent =
        events && events.readyState === EventSource.CLOSED
          ? 'Live updates stopped; reload the page.'
          : 'Reconnecting…';
    });
  }

  function disconnect() {
    if (events) events.close();
    events = null;
  }

  // ---- sign in / out ----

  async function start() {
    el.signIn.hidden = true;
    el.workspace.hidden = false;
    el.signOut.hidden = false;
    await loadLists();
    connect();
    clearInterval(waitingTimer);
    waitingTimer = setInterval(renderLists, WAITING_REFRESH_MS);
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    disconnect();
    clearInterval(waitingTimer);
    cases.clear();
    current = null;
    el.workspace.hidden = true;
    el.casePanel.hidden = true;
    el.signOut.hidden = true;
    el.signIn.hidden = false;
    el.connection.textContent = '';
    el.signInError.textContent = message || '';
    el.token.focus();
  }

  el.signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = el.token.value.trim();
    if (!value) {
      el.signInError.textContent = 'Please enter your staff token.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    el.token.value = '';
    el.signInError.textContent = '';
    try {
      await start();
    } catch (err) {
      if (err.status !== 401) signOut(err.message);
    }
  });

  el.signOut.addEventListener('click', () => signOut());
  el.messageForm.addEventListener('submit', sendMessage);
  el.messageText.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.messageForm.requestSubmit();
    }
  });
  el.resolveButton.addEventListener('click', () => closeCase('resolve'));
  el.releaseButton.addEventListener('click', () => closeCase('release'));
  el.closeButton.addEventListener('click', hideCase);

  if (token()) start().catch((err) => signOut(err.message));
  else el.token.focus();
})();
