/*
 * The knowledge-base admin page: plain browser JavaScript, no framework. Every value from the server is put into
 * the page with textContent and DOM APIs; the only HTML assigned is the answer preview, produced by
 * SafeMarkdown (web/shared/markdown.js). The admin token lives in sessionStorage under `adminToken` (the CSAT
 * dashboard reads it too); signing in and out fires `admin:signedin` / `admin:signedout` on document.
 */
'use strict';

(function () {
  const TOKEN_KEY = 'adminToken';
  const $ = (id) => document.getElementById(id);

  const state = { locales: [], entries: [], editing: null };

  // ---- helpers ----

  function status(message, isError) {
    const el = $('status');
    el.textContent = message;
    el.classList.toggle('error', Boolean(isError));
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false)
        node.setAttribute(key, String(value));
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = { authorization: 'Bearer ' + (sessionStorage.getItem(TOKEN_KEY) || '') };
    let body;
    if (opts.text !== undefined) {
      headers['content-type'] = opts.contentType;
      body = opts.text;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const response = await fetch(path, { method: opts.method || 'GET', headers, body });
    if (opts.blob && response.ok) return response;
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      if (response.status === 401) signOut('Your token is no longer valid; please sign in again.');
      const details =
        data && Array.isArray(data.details) ? data.details.map((d) => `${d.path}: ${d.message}`) : [];
      throw new ApiError(response.status, [data ? data.message : response.statusText, ...details].join(' '));
    }
    return data;
  }

  /** Runs an action and reports its failure in the status line. */
  function guarded(action) {
    return async (event) => {
      if (event && event.preventDefault) event.preventDefault();
      try {
        await action(event);
      } catch (err) {
        status(err instanceof ApiError ? err.message : 'Something went wrong: ' + err.message, true);
      }
    };
  }

  const query = (params) => {
    const search = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => v && search.set(k, v));
    const text = search.toString();
    return text ? '?' + text : '';
  };

  const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');

  // ---- sign in ----

  async function signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    try {
      const { locales } = await api('/api/admin/locales');
      state.locales = locales;
    } catch (err) {
      sessionStorage.removeItem(TOKEN_KEY);
      throw err.status === 403 ? new ApiError(403, 'That token is not an admin token.') : err;
    }
    fillLocaleSelects();
    $('signin').hidden = true;
    $('signed-in').hidden = false;
    $('main').hidden = false;
    status('Signed in.');
    document.dispatchEvent(new CustomEvent('admin:signedin'));
    if (window.csatDashboard) window.csatDashboard.refresh();
    await loadEntries();
    await Promise.all([loadUnanswered(), loadTokens()]);
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('main').hidden = true;
    $('signin').hidden = false;
    $('signed-in').hidden = true;
    $('token').value = '';
    closeEditor();
    status(message || 'Signed out.');
    document.dispatchEvent(new CustomEvent('admin:signedout'));
  }

  function fillLocaleSelects() {
    document.querySelectorAll('select.locale-select').forEach((select) => {
      const all = select.dataset.all;
      select.replaceChildren(
        ...(all ? [el('option', { value: '', text: all })] : []),
        ...state.locales.map((locale) => el('option', { value: locale, text: locale })),
      );
    });
  }

  // ---- entries ----

  async function loadEntries() {
    const { entries: all } = await api('/api/admin/faq');
    state.entries = all;
    const categories = [...new Set(all.map((e) => e.category).filter(Boolean))].sort();
    const categorySelect = $('filter-category');
    const chosen = categorySelect.value;
    categorySelect.replaceChildren(
      el('option', { value: '', text: 'All categories' }),
      ...categories.map((c) => el('option', { value: c, text: c })),
    );
    categorySelect.value = categories.includes(chosen) ? chosen : '';
    await search();
  }

  async function search() {
    const form = $('filter');
    const { entries } = await api(
      '/api/admin/faq' +
        query({ q: form.q.value.trim(), locale: form.locale.value, category: form.category.value }),
    );
    $('entry-count').textContent = entries.length === 1 ? '1 entry' : entries.length + ' entries';
    $('entries')
      .querySelector('tbody')
      .replaceChildren(
        ...entries.map((entry) =>
          el('tr', {}, [
            el('td', { text: entry.id }),
            el('td', { text: entry.locale }),
            el('td', { text: entry.questions[0] || '' }),
            el('td', { text: entry.category || '' }),
            el('td', { text: entry.enabled ? 'yes' : 'no' }),
            el('td', {}, [
              el('button', {
                type: 'button',
                text: 'Edit',
                'aria-label': 'Edit ' + entry.id,
                onclick: guarded(() => openEditor(entry.id)),
              }),
            ]),
          ]),
        ),
      );
  }

  function questionItem(value) {
    const input = el('input', { maxlength: 300, value: value || '', class: 'question' });
    const item = el('li', {}, [input]);
    item.append(
      el('button', {
        type: 'button',
        text: 'Remove',
        class: 'small',
        onclick: () => {
          const next = item.nextElementSibling || item.previousElementSibling;
          item.remove();
          labelQuestions();
          if (next) next.querySelector('input').focus();
        },
      }),
    );
    return item;
  }

  function labelQuestions() {
    $('questions')
      .querySelectorAll('li')
      .forEach((item, i) => {
        item.querySelector('input').setAttribute('aria-label', 'Question ' + (i + 1));
        item.querySelector('button').setAttribute('aria-label', 'Remove question ' + (i + 1));
      });
  }

  function renderPreview() {
    $('preview').innerHTML = window.SafeMarkdown.render($('entry-answer').value);
  }

  async function openEditor(id) {
    const entry = id ? await api('/api/admin/faq/' + encodeURIComponent(id)) : null;
    state.editing = entry;
    const form = $('entry-form');
    $('editor-heading').textContent = entry ? 'Edit entry ' + entry.id : 'New entry';
    $('entry-id').value = entry ? entry.id : '';
    $('entry-id').readOnly = Boolean(entry);
    form.locale.value = entry ? entry.locale : $('filter-locale').value || state.locales[0];
    form.topic.value = entry ? entry.topic : '';
    form.category.value = entry ? entry.category || '' : '';
    form.followUps.value = entry ? (entry.followUps || []).join(', ') : '';
    form.enabled.checked = entry ? entry.enabled : true;
    form.answer.value = entry ? entry.answer : '';
    $('questions').replaceChildren(...(entry ? entry.questions : ['']).map(questionItem));
    labelQuestions();
    renderPreview();
    $('delete-entry').hidden = !entry;
    $('show-history').hidden = !entry;
    $('history').hidden = true;
    $('editor').hidden = false;
    $('editor-heading').focus();
  }

  function closeEditor() {
    state.editing = null;
    $('editor').hidden = true;
  }

  async function saveEntry() {
    const form = $('entry-form');
    const questions = [...$('questions').querySelectorAll('input')]
      .map((i) => i.value.trim())
      .filter(Boolean);
    const followUps = form.followUps.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const body = {
      locale: form.locale.value,
      questions,
      answer: form.answer.value,
      enabled: form.enabled.checked,
      ...(form.topic.value.trim() ? { topic: form.topic.value.trim() } : {}),
      ...(form.category.value.trim() ? { category: form.category.value.trim() } : {}),
      ...(followUps.length ? { followUps } : {}),
    };
    const editing = state.editing;
    const saved = editing
      ? await api('/api/admin/faq/' + encodeURIComponent(editing.id), {
          method: 'PUT',
          body: { ...body, version: editing.version },
        })
      : await api('/api/admin/faq', {
          method: 'POST',
          body: { ...body, ...($('entry-id').value.trim() ? { id: $('entry-id').value.trim() } : {}) },
        });
    await openEditor(saved.id);
    await loadEntries();
    status('Saved ' + saved.id + ' (version ' + saved.version + '). Customers get it from the next message.');
  }

  async function deleteEntry() {
    const entry = state.editing;
    if (
      !entry ||
      !window.confirm('Delete the entry ' + entry.id + '? Customers will no longer get this answer.')
    ) {
      return;
    }
    await api('/api/admin/faq/' + encodeURIComponent(entry.id), { method: 'DELETE' });
    closeEditor();
    await loadEntries();
    status('Deleted ' + entry.id + '.');
    $('filter-q').focus();
  }

  async function showHistory() {
    const entry = state.editing;
    const { history } = await api('/api/admin/faq/' + encodeURIComponent(entry.id) + '/history');
    $('history-list').replaceChildren(
      ...history.map((h) =>
        el('li', {}, [
          el('span', { text: formatTime(h.at) + ' · ' + h.action + ' by ' + h.by }),
          el('details', {}, [
            el('summary', { text: 'Before and after' }),
            el('pre', { text: 'Before:\n' + JSON.stringify(h.before, null, 2) }),
            el('pre', { text: 'After:\n' + JSON.stringify(h.after, null, 2) }),
          ]),
        ]),
      ),
    );
    $('history').hidden = false;
  }

  // ---- test a question ----

  async function testQuestion() {
    const form = $('test-form');
    const { decision, matches } = await api('/api/admin/faq/test', {
      method: 'POST',
      body: { text: form.text.value, locale: form.locale.value },
    });
    const decided =
      decision.kind === 'answer'
        ? 'Answers with ' + decision.entryId
        : decision.kind === 'clarify'
          ? 'Asks "Did you mean…" with ' + decision.entryIds.join(', ')
          : 'No answer (asks to rephrase, then offers a human)';
    $('test-decision').textContent =
      decided + (decision.fallbackLocale ? ' (from ' + decision.fallbackLocale + ')' : '') + '.';
    $('test-results').replaceChildren(
      ...matches.map((m) =>
        el('li', {}, [
          el('span', { class: 'score', text: m.score.toFixed(2) }),
          el('span', { class: 'id', text: m.id }),
          el('span', { text: m.question }),
          el('button', {
            type: 'button',
            class: 'small',
            text: 'Edit',
            'aria-label': 'Edit ' + m.id,
            onclick: guarded(() => openEditor(m.id)),
          }),
        ]),
      ),
    );
    status(matches.length ? 'Found ' + matches.length + ' matches.' : 'No matches.');
  }

  // ---- unanswered questions ----

  /** Stored questions carry neutral redaction tokens (privacy/redact.ts), shown here in the page's language. */
  const REDACTED = {
    card: '[card number removed]',
    iban: '[IBAN removed]',
    'national-id': '[national id removed]',
    password: '[password removed]',
  };
  function shown(text) {
    return String(text).replace(
      /\[\[redacted:(card|iban|national-id|password)\]\]/g,
      (_whole, kind) => REDACTED[kind],
    );
  }

  async function loadUnanswered() {
    const locale = $('unanswered-locale').value;
    const { unanswered } = await api('/api/admin/unanswered' + query({ locale }));
    $('unanswered')
      .querySelector('tbody')
      .replaceChildren(
        ...unanswered.map((item) => {
          const choices = state.entries.filter((e) => e.locale === item.locale);
          const select = el('select', { 'aria-label': 'Entry for "' + shown(item.text) + '"' }, [
            el('option', { value: '', text: 'Choose an entry' }),
            ...choices.map((e) => el('option', { value: e.id, text: e.id + ' — ' + (e.questions[0] || '') })),
          ]);
          if (item.suggestion) select.value = item.suggestion;
          const add = el('button', {
            type: 'button',
            text: 'Add to entry',
            onclick: guarded(async () => {
              if (!select.value) {
                status('Choose an entry first.', true);
                select.focus();
                return;
              }
              await api('/api/admin/unanswered/' + encodeURIComponent(item.id) + '/resolve', {
                method: 'POST',
                body: { entryId: select.value },
              });
              status('Added "' + shown(item.text) + '" to ' + select.value + '.');
              await loadEntries();
              await loadUnanswered();
            }),
          });
          return el('tr', {}, [
            el('td', { text: shown(item.text) }),
            el('td', { text: item.locale }),
            el('td', { text: String(item.count) }),
            el('td', { text: item.bestScore.toFixed(2) }),
            el('td', { class: 'row' }, [select, add]),
          ]);
        }),
      );
  }

  // ---- knowledge-base health ----

  async function checkHealth() {
    const locale = $('health-locale').value;
    const { collisions } = await api('/api/admin/faq/health' + query({ locale }));
    const editButton = (id) =>
      el('button', {
        type: 'button',
        class: 'small',
        text: id,
        'aria-label': 'Edit ' + id,
        onclick: guarded(() => openEditor(id)),
      });
    $('health')
      .querySelector('tbody')
      .replaceChildren(
        ...collisions.map((pair) =>
          el('tr', {}, [
            el('td', {}, [editButton(pair.entryId)]),
            el('td', {}, [editButton(pair.winnerId)]),
            el('td', {}, [
              el(
                'ul',
                { class: 'plain' },
                pair.questions.map((q) => el('li', { text: q.text + ' (' + q.score.toFixed(2) + ')' })),
              ),
            ]),
          ]),
        ),
      );
    $('health').hidden = collisions.length === 0;
    $('health-summary').textContent =
      collisions.length === 0
        ? 'No colliding entries in ' + locale + '.'
        : collisions.length +
          (collisions.length === 1 ? ' pair' : ' pairs') +
          ' of colliding entries in ' +
          locale +
          '.';
  }

  // ---- import and export ----

  const TEXT_TYPES = { csv: 'text/csv', qna: 'text/tab-separated-values' };

  async function importFile(dryRun) {
    const form = $('import-form');
    const file = form.file.files[0];
    if (!file) {
      status('Choose a file to import.', true);
      form.file.focus();
      return;
    }
    const format = form.format.value;
    const text = await file.text();
    let payload;
    if (format === 'json') {
      try {
        payload = { body: JSON.parse(text) };
      } catch {
        status('That file is not valid JSON.', true);
        return;
      }
    } else {
      payload = { text, contentType: TEXT_TYPES[format] };
    }
    const report = await api(
      '/api/admin/faq/import' + query({ format, locale: form.locale.value, dryRun: dryRun ? 'true' : '' }),
      { method: 'POST', ...payload },
    );
    const verb = dryRun ? 'Would ' : '';
    const lines = [
      (dryRun ? 'Dry run, nothing saved. ' : 'Imported. ') +
        `${verb}create ${report.created}, ${verb}update ${report.updated}, unchanged ${report.unchanged}, skipped ${report.skipped.length}.`,
      ...report.skipped.map((s) => `Row ${s.row}: ${s.reason}`),
    ];
    const out = $('import-report');
    out.textContent = lines.join('\n');
    out.hidden = false;
    status(lines[0]);
    if (!dryRun) await loadEntries();
  }

  async function exportFile() {
    const form = $('export-form');
    const response = await api(
      '/api/admin/faq/export' + query({ format: form.format.value, locale: form.locale.value }),
      {
        blob: true,
      },
    );
    const disposition = response.headers.get('content-disposition') || '';
    const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || 'faq-export';
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    status('Exported ' + name + '.');
  }

  // ---- tokens ----

  async function loadTokens() {
    const { tokens } = await api('/api/admin/tokens');
    $('tokens')
      .querySelector('tbody')
      .replaceChildren(
        ...tokens.map((t) =>
          el('tr', {}, [
            el('td', { text: t.name }),
            el('td', { text: t.role }),
            el('td', { text: formatTime(t.createdAt) + ' by ' + t.createdBy }),
            el('td', { text: t.revokedAt ? 'revoked ' + formatTime(t.revokedAt) : 'active' }),
            el('td', {}, [
              t.revokedAt
                ? ''
                : el('button', {
                    type: 'button',
                    class: 'danger small',
                    text: 'Revoke',
                    'aria-label': 'Revoke the token ' + t.name,
                    onclick: guarded(async () => {
                      if (!window.confirm('Revoke the token ' + t.name + '? It stops working at once.'))
                        return;
                      await api('/api/admin/tokens/' + encodeURIComponent(t.id), { method: 'DELETE' });
                      status('Revoked ' + t.name + '.');
                      await loadTokens();
                    }),
                  }),
            ]),
          ]),
        ),
      );
  }

  async function createToken() {
    const form = $('token-form');
    const created = await api('/api/admin/tokens', {
      method: 'POST',
      body: { name: $('token-name').value.trim(), role: $('token-role').value },
    });
    $('new-token-value').textContent = created.token;
    $('new-token').hidden = false;
    form.reset();
    status('Token created. Copy it now; it is not shown again.');
    await loadTokens();
  }

  // ---- wiring ----

  /** For the CSAT dashboard (web/admin/dashboard.js): JSON from the admin API with this page's token. */
  window.adminApi = Object.freeze({ fetchJson: (path) => api(path) });

  document.addEventListener('DOMContentLoaded', () => {
    $('signin').addEventListener(
      'submit',
      guarded(() => signIn($('token').value.trim())),
    );
    $('signout').addEventListener('click', () => signOut());
    $('filter').addEventListener('submit', guarded(search));
    $('new-entry').addEventListener(
      'click',
      guarded(() => openEditor(null)),
    );
    $('entry-form').addEventListener('submit', guarded(saveEntry));
    $('entry-answer').addEventListener('input', renderPreview);
    $('add-question').addEventListener('click', () => {
      const item = questionItem('');
      $('questions').append(item);
      labelQuestions();
      item.querySelector('input').focus();
    });
    $('cancel-edit').addEventListener('click', closeEditor);
    $('delete-entry').addEventListener('click', guarded(deleteEntry));
    $('show-history').addEventListener('click', guarded(showHistory));
    $('test-form').addEventListener('submit', guarded(testQuestion));
    $('unanswered-filter').addEventListener('submit', guarded(loadUnanswered));
    $('health-form').addEventListener('submit', guarded(checkHealth));
    $('import-form').addEventListener(
      'submit',
      guarded(() => importFile(true)),
    );
    $('import-apply').addEventListener(
      'click',
      guarded(() => importFile(false)),
    );
    $('export-form').addEventListener('submit', guarded(exportFile));
    $('token-form').addEventListener('submit', guarded(createToken));

    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) guarded(() => signIn(saved))();
  });
})();
