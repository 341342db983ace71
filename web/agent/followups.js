// Staff console: the follow-up inbox (left messages, queue timeouts, low-rating call-backs), live over the
// console's event stream (`followup` events). Each row shows the customer's contact, the score and comment of a
// low rating, the conversation (loaded when opened), Claim and Close with a note. Server texts are rendered
// with textContent only, except the bot's and agents' messages of the conversation: markdown, rendered safely
// as in the open case (agentConsole.messageText). Helpers and the stream come from agent.js
// (window.agentConsole, `agent:connected`).
'use strict';

(function () {
  const { Staff } = window;
  const { t, api, node, messageText, shown, problem, language, say, locale, drafts, me } =
    window.agentConsole;
  const el = {
    heading: document.getElementById('followupsHeading'),
    count: document.getElementById('followupCount'),
    empty: document.getElementById('followupsEmpty'),
    list: document.getElementById('followups'),
  };
  const reasons = {
    'left-message': 'followupLeftMessage',
    'queue-timeout': 'followupQueueTimeout',
    'low-rating': 'followupLowRating',
  };
  const contactKinds = { email: 'email', phone: 'phone', teams: 'teams' };

  /** Rows on screen by follow-up id: `{view, item, state, claim, note}`. */
  const rows = new Map();
  /** Whether the list was loaded since the sign-in: until then, its empty line claims nothing. */
  let loaded = false;
  /** Follow-ups this page is claiming or closing. */
  const acting = new Set();

  function summaryOf(f) {
    return f.summary ? shown(f.summary) : t('noDescription');
  }

  /** Whether the signed-in member of staff may close it: open, or claimed by them (an admin: by anyone). */
  function closable(f) {
    const self = me();
    if (f.status === 'open') return true;
    return f.status === 'claimed' && (self.role === 'admin' || (!!f.claimedBy && f.claimedBy.id === self.id));
  }

  /**
   * Whether a change is someone else's claim or close: not this page's own, nor one that meets this page's claim or
   * close on its way (claimFollowup and closeFollowup say what happened, from the server's answer).
   */
  function byOthers(change) {
    const self = me();
    const who = { claimed: change.followup.claimedBy, closed: change.followup.closedBy }[change.type];
    return !!who && !!self && who.id !== self.id && !acting.has(change.followup.id);
  }

  function stateOf(f) {
    if (f.status === 'claimed')
      return t('followupStateClaimed', { name: f.claimedBy ? f.claimedBy.name : '' });
    return t('followupStateOpen');
  }

  function row(f) {
    const item = node('li', 'followup');
    item.dataset.followupId = f.id;
    const meta = [
      reasons[f.reason] ? t(reasons[f.reason]) : f.reason,
      language(f.locale),
      ...(f.score === undefined ? [] : [t('followupScoreOf', { score: f.score })]),
      new Date(f.createdAt).toLocaleString(locale()),
    ];
    const state = node('span', 'state', stateOf(f));
    item.append(node('span', 'summary', summaryOf(f)), node('span', 'meta', meta.join(' · ')), state);

    const contact = node('dl', 'facts contact');
    const ways = f.contact.length
      ? f.contact.map((c) => [t(contactKinds[c.kind] || 'followupContact'), c.value])
      : [[t('followupContact'), t('followupNoContact')]];
    for (const [term, value] of ways) contact.append(node('dt', '', term), node('dd', '', value));
    if (f.comment) contact.append(node('dt', '', t('followupComment')), node('dd', '', shown(f.comment)));
    item.append(contact);

    const details = node('details', 'transcript');
    const conversation = node('ol', 'conversation');
    details.append(node('summary', '', t('conversation')), conversation);
    details.addEventListener('toggle', () => {
      if (details.open && !conversation.childElementCount) loadTranscript(f.id, conversation);
    });
    item.append(details);

    const claim = node('button', 'claim', t('followupClaim'));
    claim.type = 'button';
    claim.setAttribute('aria-label', t('claimFollowup', { summary: summaryOf(f) }));
    claim.hidden = f.status !== 'open';
    claim.addEventListener('click', () => claimFollowup(f.id, claim));

    const form = node('form', 'close-form');
    const noteId = `note-${f.id}`;
    const label = node('label', '', t('followupCloseNote'));
    label.htmlFor = noteId;
    const note = node('textarea');
    note.id = noteId;
    note.rows = 2;
    note.maxLength = 4000;
    // A note half-typed when the sign-in expired comes back with its follow-up (see agent.js, `drafts`).
    note.value = drafts.get('note', f.id);
    note.addEventListener('input', () => drafts.set('note', f.id, note.value));
    const close = node('button', 'close', t('followupClose'));
    close.type = 'submit';
    close.setAttribute('aria-label', t('closeFollowup', { summary: summaryOf(f) }));
    form.append(label, note, close);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      closeFollowup(f.id, note, close);
    });
    item.append(claim, form);
    return { view: f, item, state, claim, note };
  }

  async function loadTranscript(id, list) {
    try {
      const detail = await api(`/api/agent/followups/${encodeURIComponent(id)}`);
      list.replaceChildren(
        ...detail.transcript.map((line) => {
          const who = line.from === 'customer' ? t('customer') : line.from === 'bot' ? t('bot') : t('agent');
          const item = node('li', `from-${line.from}`);
          item.append(node('span', 'who', `${who}:`), messageText(line.from, line.text));
          return item;
        }),
      );
    } catch (err) {
      say(problem(err));
    }
  }

  /** The count in the heading, and the empty line (Staff.emptyLine: read out when the list empties or fills). */
  function renderCount() {
    el.count.textContent = rows.size ? `(${rows.size})` : '';
    Staff.emptyLine(el.empty, rows.size, loaded ? t('followupsEmpty') : '');
  }

  /** A follow-up that was closed: its row goes, and with it a note that can no longer be used. */
  function removeRow(id) {
    const existing = rows.get(id);
    if (existing) existing.item.remove();
    rows.delete(id);
    drafts.delete('note', id);
  }

  /** Adds, updates in place (keeping an open transcript and a note being typed) or removes a row. */
  function upsert(f) {
    const existing = rows.get(f.id);
    // A note for a follow-up someone else claimed cannot be used: it is not kept (it stays on screen).
    if (me() && !closable(f)) drafts.delete('note', f.id);
    if (f.status === 'closed') {
      removeRow(f.id);
    } else if (existing) {
      existing.view = f;
      existing.state.textContent = stateOf(f);
      existing.claim.hidden = f.status !== 'open';
    } else {
      const added = row(f);
      rows.set(f.id, added);
      // Oldest first: a new follow-up goes before the first row created after it.
      const later = [...rows.values()].find(
        (r) => r !== added && Date.parse(r.view.createdAt) > Date.parse(f.createdAt),
      );
      el.list.insertBefore(added.item, later ? later.item : null);
    }
    renderCount();
  }

  /** The list as the server has it: rows that are still open are updated in place (their notes stay). */
  async function loadAll() {
    const open = await api('/api/agent/followups');
    // Notes for follow-ups closed (or claimed by someone else) while the agent was away go, rows or not (a list
    // read while the sign-in ended decides nothing: the notes outlast it).
    if (me()) drafts.keepOnly('note', new Set(open.filter(closable).map((f) => f.id)));
    const ids = new Set(open.map((f) => f.id));
    for (const id of rows.keys()) if (!ids.has(id)) removeRow(id);
    for (const f of open) upsert(f);
    loaded = true;
    renderCount();
  }

  async function claimFollowup(id, button) {
    button.disabled = true;
    acting.add(id);
    try {
      upsert(await api(`/api/agent/followups/${encodeURIComponent(id)}/claim`, 'POST', {}));
      say(t('followupClaimedNotice'));
      // The Claim button is gone: the keyboard goes on to the next step, the closing note.
      const claimed = rows.get(id);
      if (claimed) claimed.note.focus();
    } catch (err) {
      say(err.status === 409 ? t('followupSomeoneElse', { message: problem(err) }) : problem(err));
      await loadAll().catch(() => undefined);
      if (button.hidden) el.heading.focus();
    } finally {
      button.disabled = false;
      acting.delete(id);
    }
  }

  async function closeFollowup(id, note, button) {
    const text = note.value.trim();
    if (!text) {
      say(t('followupNeedsNote'));
      note.focus();
      return;
    }
    button.disabled = true;
    acting.add(id);
    try {
      upsert(await api(`/api/agent/followups/${encodeURIComponent(id)}/close`, 'POST', { note: text }));
      say(t('followupClosedNotice'));
      el.heading.focus();
    } catch (err) {
      button.disabled = false;
      say(problem(err));
    } finally {
      acting.delete(id);
    }
  }

  document.addEventListener('agent:connected', (event) => {
    const events = event.detail;
    // Connected or reconnected: whatever happened meanwhile is in the list.
    events.addEventListener('open', () => loadAll().catch((err) => say(problem(err))));
    events.addEventListener('followup', (message) => {
      const change = JSON.parse(message.data);
      const f = change.followup;
      const existing = rows.get(f.id);
      const focused =
        existing && existing.item.contains(document.activeElement) ? document.activeElement : null;
      upsert(f);
      if (change.type === 'created') {
        say(t('newFollowup', { summary: summaryOf(f) }));
      } else if (focused && byOthers(change)) {
        // The agent was working on it: they are told (once), and a button that went (Claim, or the whole row)
        // hands the keyboard to the list's heading.
        say(
          f.status === 'closed'
            ? t('followupAlreadyClosed')
            : t('followupAlreadyClaimed', { name: f.claimedBy ? f.claimedBy.name : '' }),
        );
        if (!focused.isConnected || focused.hidden) el.heading.focus();
      }
    });
  });
  document.addEventListener('agent:signedout', () => {
    loaded = false;
    rows.clear();
    el.list.replaceChildren();
    renderCount();
  });
})();
