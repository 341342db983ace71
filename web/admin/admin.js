/*
 * The knowledge-base admin page: plain browser JavaScript, no framework. Every value from the server is put into
 * the page with textContent and DOM APIs (Staff.el, web/shared/staff.js); the only HTML assigned is the answer
 * preview, produced by SafeMarkdown (web/shared/markdown.js). The page's texts come from /api/admin/messages in
 * the language of the page's picker or the browser (one request, shared with the dashboard and the review
 * list through Staff.texts). The admin token lives in sessionStorage under `adminToken`; signing in and out fires
 * `admin:signedin` / `admin:signedout` on document.
 */
'use strict';

(function () {
  const { Staff } = window;
  const $ = (id) => document.getElementById(id);
  const el = Staff.el;
  const session = Staff.session('adminToken');
  const api = Staff.api(session);
  // A 401 from any of the page's calls (the entries, the dashboard, the review list) signs out here.
  session.onEnded(() => signOut(t('signInExpired')));
  const texts = Staff.texts('/api/admin/messages');

  const state = { locales: [], entries: [], tokens: [], editing: null, saving: false };
  /** The page's language and texts (set once the texts are loaded). */
  let locale = 'en';
  let t = (key) => key;
  let language = (code) => code;

  // ---- helpers ----

  function status(message, isError) {
    const line = $('status');
    line.textContent = message;
    line.classList.toggle('error', Boolean(isError));
  }

  /** Runs an action and reports its failure in the status line. */
  function guarded(action) {
    return async (event) => {
      if (event && event.preventDefault) event.preventDefault();
      try {
        await action(event);
      } catch (err) {
        status(Staff.errorText(err, t, fieldLabel), true);
      }
    };
  }

  const query = (params) => {
    const search = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => v && search.set(k, v));
    const text = search.toString();
    return text ? '?' + text : '';
  };

  /**
   * Puts rows into a table's body, each cell labelled with its column's heading (`data-label`): on a narrow
   * screen the rows are stacked (admin.css) and each value is shown under its heading. A table without rows is
   * hidden (not a bare heading row); `empty`, when given, then says why in the table's empty line
   * (`#<table id>-empty`, Staff.emptyLine: read out when it changes, as after a search that finds nothing).
   */
  function fillTable(table, rows, empty) {
    const headings = [...table.querySelectorAll('thead th')].map((th) =>
      th.querySelector('.visually-hidden') ? '' : th.textContent.trim(),
    );
    for (const row of rows) {
      [...row.children].forEach((cell, i) => {
        if (headings[i]) cell.dataset.label = headings[i];
      });
    }
    table.querySelector('tbody').replaceChildren(...rows);
    table.hidden = rows.length === 0;
    if (empty !== undefined) Staff.emptyLine($(table.id + '-empty'), rows.length, empty);
  }

  /** The names of the fields the page sends, as its forms label them (the entry editor, tokens, the test form). */
  const FIELD_NAMES = {
    id: 'entryId',
    topic: 'topic',
    locale: 'language',
    questions: 'questions',
    answer: 'answer',
    category: 'category',
    followUps: 'followUps',
    enabled: 'enabled',
    name: 'tokenName',
    role: 'role',
    expiresInDays: 'tokenExpiry',
    text: 'question',
  };

  /** A field the server names in an error (`questions.2`, `answer`) by its label on the page. */
  const fieldLabel = (path) => {
    const field = path.split('.')[0];
    return Object.hasOwn(FIELD_NAMES, field) ? t(FIELD_NAMES[field]) : path;
  };

  const formatTime = (iso) => (iso ? new Date(iso).toLocaleString(locale) : '');
  const shown = (text) => Staff.shown(text, t);

  // ---- sign in ----

  async function signIn(token) {
    session.set(token);
    try {
      const { locales } = await api('/api/admin/locales');
      state.locales = locales;
    } catch (err) {
      session.clear();
      if (err.status === 403) {
        status(t('notAdminToken'), true);
        return;
      }
      throw err;
    }
    fillLocaleSelects();
    $('signin').hidden = true;
    $('signed-in').hidden = false;
    $('main').hidden = false;
    status(t('signedInStatus'));
    document.dispatchEvent(new CustomEvent('admin:signedin'));
    await loadEntries();
    await Promise.all([loadUnanswered(), loadTokens()]);
  }

  function signOut(message) {
    session.clear();
    $('main').hidden = true;
    $('signin').hidden = false;
    $('signed-in').hidden = true;
    $('token').value = '';
    closeEditor();
    status(message || t('signedOutStatus'));
    // The focused control went with the page: the keyboard goes to the sign-in form.
    $('token').focus();
    document.dispatchEvent(new CustomEvent('admin:signedout'));
  }

  function fillLocaleSelects() {
    document.querySelectorAll('select.locale-select').forEach((select) => {
      const all = select.dataset.all;
      const chosen = select.value;
      select.replaceChildren(
        ...(all ? [el('option', { value: '', text: t(all) })] : []),
        ...state.locales.map((code) => el('option', { value: code, text: language(code) })),
      );
      if (chosen && state.locales.includes(chosen)) select.value = chosen;
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
      el('option', { value: '', text: t('allCategories') }),
      ...categories.map((c) => el('option', { value: c, text: c })),
    );
    categorySelect.value = categories.includes(chosen) ? chosen : '';
    await search();
  }

  async function search() {
    const form = $('filter');
    const filters = { q: form.q.value.trim(), locale: form.locale.value, category: form.category.value };
    const { entries } = await api('/api/admin/faq' + query(filters));
    // None: the table's empty line says so instead.
    $('entry-count').textContent = entries.length ? t('entryCount', { count: entries.length }) : '';
    fillTable(
      $('entries'),
      entries.map((entry) =>
        el('tr', {}, [
          el('td', { text: entry.id }),
          el('td', { text: language(entry.locale) }),
          el('td', { text: entry.questions[0] || '' }),
          el('td', { text: entry.category || '' }),
          el('td', { text: entry.enabled ? t('yes') : t('no') }),
          el('td', {}, [
            el('button', {
              type: 'button',
              text: t('edit'),
              'aria-label': t('editNamed', { id: entry.id }),
              onclick: guarded(() => openEditor(entry.id)),
            }),
          ]),
        ]),
      ),
      Object.values(filters).some(Boolean) ? t('entriesNoneMatch') : t('entriesNone'),
    );
  }

  function questionItem(value) {
    const input = el('input', { maxlength: 300, value: value || '', class: 'question' });
    const item = el('li', {}, [input]);
    item.append(
      el('button', {
        type: 'button',
        text: t('remove'),
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
        item.querySelector('input').setAttribute('aria-label', t('questionNumber', { n: i + 1 }));
        item.querySelector('button').setAttribute('aria-label', t('removeQuestion', { n: i + 1 }));
      });
  }

  /**
   * The preview shows the answer as a save would store it: rendered at once as typed, then as the server's
   * sanitiser leaves it (POST /api/admin/faq/preview, a moment after the last key), with a note on what the save
   * removes (HTML, unsafe links) or changes. The note that pictures reach customers as links is told at once.
   */
  let previewTimer = null;
  let previewAsked = 0;
  function renderPreview() {
    const answer = $('entry-answer').value;
    $('preview').innerHTML = window.SafeMarkdown.render(answer);
    $('entry-answer-images').hidden = !window.SafeMarkdown.hasImages(answer);
    clearTimeout(previewTimer);
    previewTimer = setTimeout(
      guarded(() => previewSaved(answer)),
      250,
    );
  }

  async function previewSaved(answer) {
    const asked = ++previewAsked;
    const preview = answer.trim()
      ? await api('/api/admin/faq/preview', { method: 'POST', body: { answer } })
      : { answer: '' };
    // An answer typed since has its own preview coming.
    if (asked !== previewAsked || answer !== $('entry-answer').value) return;
    $('preview').innerHTML = window.SafeMarkdown.render(preview.answer);
    showAnswerWarnings(preview.warnings || []);
  }

  /** What a save removes or changes in the answer, in the page's language (pictures have their own note). */
  function answerWarningText(warning) {
    switch (warning.code) {
      case 'html-removed':
        return t('answerHtmlRemoved', {
          tags: warning.tags.map((tag) => (tag === '!--' ? '<!-- -->' : '<' + tag + '>')).join(', '),
        });
      case 'unsafe-links-removed':
        return t('answerLinksRemoved');
      case 'shown-as-text':
        return t('answerShownAsText');
      default:
        return t('answerImages');
    }
  }

  function showAnswerWarnings(warnings) {
    const removed = warnings.filter((w) => w.code !== 'images-as-links');
    $('entry-answer-removed').replaceChildren(...removed.map((w) => el('p', { text: answerWarningText(w) })));
    $('entry-answer-removed').hidden = removed.length === 0;
  }

  async function openEditor(id) {
    const entry = id ? await api('/api/admin/faq/' + encodeURIComponent(id)) : null;
    state.editing = entry;
    const form = $('entry-form');
    $('editor-heading').textContent = entry ? t('editEntry', { id: entry.id }) : t('newEntry');
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
    $('entry-conflict').hidden = true;
    $('history').hidden = true;
    $('editor').hidden = false;
    $('editor-heading').focus();
  }

  /**
   * A new entry's id names its language ("pl-…"), which the server requires to be the entry's: typing one
   * chooses that language.
   */
  function followIdLanguage() {
    if (state.editing) return;
    const prefix = $('entry-id').value.split('-')[0];
    if (state.locales.includes(prefix)) $('entry-form').locale.value = prefix;
  }

  function closeEditor() {
    state.editing = null;
    clearTimeout(previewTimer);
    previewAsked++;
    $('editor').hidden = true;
  }

  /**
   * Saves the editor's entry. One save at a time: the Save button waits until the saved version is in the
   * editor (a second save of the same version would be refused as a conflict). A real conflict (someone else
   * saved the entry meanwhile) is told plainly, with a button to reload the entry.
   */
  async function saveEntry() {
    if (state.saving) return;
    state.saving = true;
    $('save-entry').disabled = true;
    $('entry-conflict').hidden = true;
    try {
      await saveEditedEntry();
    } catch (err) {
      if (err instanceof Staff.ApiError && err.code === 'conflict' && state.editing) {
        status('');
        $('entry-conflict').hidden = false;
        $('reload-entry').focus();
        return;
      }
      throw err;
    } finally {
      state.saving = false;
      $('save-entry').disabled = false;
    }
  }

  async function reloadEntry() {
    const { id } = state.editing;
    await openEditor(id);
    status(t('entryReloaded', { id }));
  }

  async function saveEditedEntry() {
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
    const notes = (saved.warnings || []).map(answerWarningText);
    status([t('saved', { id: saved.id, version: saved.version }), ...notes].join(' '));
  }

  async function deleteEntry() {
    const entry = state.editing;
    if (!entry || !window.confirm(t('confirmDelete', { id: entry.id }))) {
      return;
    }
    await api('/api/admin/faq/' + encodeURIComponent(entry.id), { method: 'DELETE' });
    closeEditor();
    await loadEntries();
    status(t('deleted', { id: entry.id }));
    $('filter-q').focus();
  }

  const HISTORY_ACTIONS = {
    create: 'actionCreate',
    update: 'actionUpdate',
    delete: 'actionDelete',
    import: 'actionImport',
  };

  async function showHistory() {
    const entry = state.editing;
    const { history } = await api('/api/admin/faq/' + encodeURIComponent(entry.id) + '/history');
    $('history-list').replaceChildren(
      ...history.map((h) =>
        el('li', {}, [
          el('span', {
            text: t('historyLine', {
              at: formatTime(h.at),
              action: t(HISTORY_ACTIONS[h.action] || h.action),
              by: h.by,
            }),
          }),
          el('details', {}, [
            el('summary', { text: t('beforeAndAfter') }),
            el('pre', { text: t('before') + '\n' + JSON.stringify(h.before, null, 2) }),
            el('pre', { text: t('after') + '\n' + JSON.stringify(h.after, null, 2) }),
          ]),
        ]),
      ),
    );
    $('history').hidden = false;
  }

  // ---- test a question ----

  /**
   * What customers get instead of the knowledge base for a message the bot reads as something else (the test's
   * `reading`, from the bot's understanding), by the reading's small talk or label. A reading of cancel is left
   * out: with nothing under way to cancel, only the bare command is answered as one ("anuluj umowę" is a question).
   */
  const READING_NOTICES = {
    complaint: 'testReadComplaint',
    human: 'testReadHuman',
    closing: 'testReadClosing',
    help: 'testReadHelp',
    greeting: 'testReadGreeting',
    'about-bot': 'testReadAboutBot',
  };

  async function testQuestion() {
    const form = $('test-form');
    const { reading, decision, matches } = await api('/api/admin/faq/test', {
      method: 'POST',
      body: { text: form.text.value, locale: form.locale.value },
    });
    const chosen =
      decision.kind === 'answer'
        ? t('decisionAnswer', { id: decision.entryId })
        : decision.kind === 'clarify'
          ? t('decisionClarify', { ids: decision.entryIds.join(', ') })
          : t('decisionNone');
    const decided = decision.fallbackLocale
      ? `${chosen} ${t('decisionFallback', { language: language(decision.fallbackLocale) })}`
      : chosen;
    const notice = READING_NOTICES[reading.smallTalk || reading.label];
    const percent = new Intl.NumberFormat(locale, { style: 'percent' }).format(reading.confidence);
    const read = notice ? t(notice, { percent }) : '';
    $('test-reading').textContent = read;
    $('test-reading').hidden = !notice;
    $('test-decision').textContent = notice ? t('testIfAsked', { decision: decided }) : decided;
    $('test-results').replaceChildren(
      ...matches.map((m) =>
        el('li', {}, [
          el('span', { class: 'score', text: m.score.toFixed(2) }),
          el('span', { class: 'id', text: m.id }),
          el('span', { text: m.question }),
          el('button', {
            type: 'button',
            class: 'small',
            text: t('edit'),
            'aria-label': t('editNamed', { id: m.id }),
            onclick: guarded(() => openEditor(m.id)),
          }),
        ]),
      ),
    );
    const found = matches.length ? t('matchesFound', { count: matches.length }) : t('noMatches');
    status(notice ? `${read} ${found}` : found);
  }

  // ---- unanswered questions ----

  async function loadUnanswered() {
    const chosen = $('unanswered-locale').value;
    const { unanswered } = await api('/api/admin/unanswered' + query({ locale: chosen }));
    fillTable(
      $('unanswered'),
      unanswered.map((item) => {
        const choices = state.entries.filter((e) => e.locale === item.locale);
        const select = el('select', { 'aria-label': t('entryFor', { text: shown(item.text) }) }, [
          el('option', { value: '', text: t('chooseEntry') }),
          ...choices.map((e) => el('option', { value: e.id, text: e.id + ' — ' + (e.questions[0] || '') })),
        ]);
        if (item.suggestion) select.value = item.suggestion;
        const add = el('button', {
          type: 'button',
          text: t('addToEntry'),
          onclick: guarded(async () => {
            if (!select.value) {
              status(t('chooseEntryFirst'), true);
              select.focus();
              return;
            }
            await api('/api/admin/unanswered/' + encodeURIComponent(item.id) + '/resolve', {
              method: 'POST',
              body: { entryId: select.value },
            });
            status(t('addedTo', { text: shown(item.text), id: select.value }));
            await loadEntries();
            await loadUnanswered();
            // The row and its button are gone: the keyboard goes back to the section's heading.
            $('unanswered-heading').focus();
          }),
        });
        return el('tr', {}, [
          el('td', { text: shown(item.text) }),
          el('td', { text: language(item.locale) }),
          el('td', { text: String(item.count) }),
          el('td', { text: item.bestScore.toFixed(2) }),
          el('td', { class: 'row' }, [select, add]),
        ]);
      }),
      chosen ? t('unansweredNoneIn', { language: language(chosen) }) : t('unansweredNone'),
    );
  }

  // ---- knowledge-base health ----

  async function checkHealth() {
    const checked = $('health-locale').value;
    const { collisions } = await api('/api/admin/faq/health' + query({ locale: checked }));
    const editButton = (id) =>
      el('button', {
        type: 'button',
        class: 'small',
        text: id,
        'aria-label': t('editNamed', { id }),
        onclick: guarded(() => openEditor(id)),
      });
    fillTable(
      $('health'),
      collisions.map((pair) =>
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
    $('health-summary').textContent =
      collisions.length === 0
        ? t('healthNone', { language: language(checked) })
        : t('healthPairs', { language: language(checked), count: pairCount(collisions) });
  }

  /** Entries A and B colliding both ways (A's questions find B and B's find A) are one pair. */
  function pairCount(collisions) {
    return new Set(collisions.map((c) => [c.entryId, c.winnerId].sort().join('\u0000'))).size;
  }

  // ---- import and export ----

  const TEXT_TYPES = { csv: 'text/csv', qna: 'text/tab-separated-values' };

  async function importFile(dryRun) {
    const form = $('import-form');
    const file = form.file.files[0];
    if (!file) {
      status(t('chooseFile'), true);
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
        status(t('notJson'), true);
        return;
      }
    } else {
      payload = { text, contentType: TEXT_TYPES[format] };
    }
    const report = await api(
      '/api/admin/faq/import' + query({ format, locale: form.locale.value, dryRun: dryRun ? 'true' : '' }),
      { method: 'POST', ...payload },
    );
    showImportReport(report, dryRun);
    if (!dryRun) await loadEntries();
  }

  /** Why an import row was left out, in the page's language (the server's `code` and its facts). */
  function skipReason(skip) {
    switch (skip.code) {
      case 'invalid':
        return t('skipInvalid', { fields: skip.fields.map((f) => t(FIELD_NAMES[f] || f)).join(', ') });
      case 'no-locale':
        return t('skipNoLocale');
      case 'ambiguous':
        return t('skipAmbiguous', { entries: skip.entries.join(', ') });
      case 'duplicate':
        return t('skipDuplicate', { row: skip.sameAs });
      case 'other-locale':
        return t('skipOtherLocale', {
          entry: skip.entry,
          entryLanguage: language(skip.entryLocale),
          rowLanguage: language(skip.rowLocale),
        });
      default:
        return t('skipRefused');
    }
  }

  function showImportReport(report, dryRun) {
    const counts = dryRun
      ? t('importDryCounts', {
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          skipped: report.skipped.length,
        })
      : t('importCounts', {
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          skipped: report.skipped.length,
        });
    $('import-report-heading').textContent = dryRun ? t('importDryHeading') : t('importDoneHeading');
    $('import-report-summary').textContent = counts;
    fillTable(
      $('import-skipped'),
      report.skipped.map((skip) =>
        el('tr', {}, [el('td', { text: String(skip.row) }), el('td', { text: skipReason(skip) })]),
      ),
    );
    $('import-report').hidden = false;
    status(`${dryRun ? t('importDryHeading') : t('importDoneHeading')}. ${counts}`);
  }

  async function exportFile() {
    const form = $('export-form');
    const response = await api(
      '/api/admin/faq/export' +
        query({
          format: form.format.value,
          locale: form.locale.value,
          separator: form.format.value === 'csv' ? Staff.csvSeparator() : '',
        }),
      { raw: true },
    );
    const disposition = response.headers.get('content-disposition') || '';
    const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || 'faq-export';
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    status(t('exported', { name }));
  }

  // ---- tokens ----

  async function loadTokens() {
    const { tokens } = await api('/api/admin/tokens');
    state.tokens = tokens;
    // An offer to renew a token instead of creating one (below) was made from the list as it was.
    hideRenewalOffer();
    fillTable(
      $('tokens'),
      tokens.map((token) =>
        el('tr', {}, [
          el('td', { text: token.name }),
          el('td', { text: roleName(token) }),
          el('td', { text: tokenHistory(token) }),
          el('td', { text: tokenStatus(token) }),
          el(
            'td',
            {},
            token.revokedAt
              ? []
              : [
                  el('button', {
                    type: 'button',
                    class: 'small',
                    text: t('renew'),
                    'aria-label': t('renewNamed', { name: token.name }),
                    onclick: guarded(async () => {
                      if (!window.confirm(t('confirmRenew', { name: token.name }))) return;
                      await renewToken(token);
                    }),
                  }),
                  ' ',
                  el('button', {
                    type: 'button',
                    class: 'danger small',
                    text: t('revoke'),
                    'aria-label': t('revokeNamed', { name: token.name }),
                    onclick: guarded(async () => {
                      if (!window.confirm(t('confirmRevoke', { name: token.name }))) return;
                      await api('/api/admin/tokens/' + encodeURIComponent(token.id), { method: 'DELETE' });
                      await loadTokens();
                      status(t('revoked', { name: token.name }));
                      // The Revoke button is gone: the keyboard goes back to the section's heading.
                      $('tokens-heading').focus();
                    }),
                  }),
                ],
          ),
        ]),
      ),
      t('tokensNone'),
    );
  }

  const roleName = (token) => (token.role === 'admin' ? t('roleAdmin') : t('roleAgent'));

  /** Created when and by whom, and the last renewal. */
  function tokenHistory(token) {
    const created = t('createdBy', { at: formatTime(token.createdAt), by: token.createdBy });
    if (!token.renewedAt) return created;
    return created + '; ' + t('renewedBy', { at: formatTime(token.renewedAt), by: token.renewedBy });
  }

  /** Shows a new token once, says `said`, and takes the keyboard there so that it is read out. */
  function showNewToken(token, said) {
    $('new-token-value').textContent = token;
    $('new-token').hidden = false;
    status(said);
    $('new-token').focus();
  }

  const expired = (token) => Boolean(token.expiresAt) && new Date(token.expiresAt) <= new Date();

  /** Revoked, expired, active until a date, or active. */
  function tokenStatus(token) {
    if (token.revokedAt) return t('revokedAt', { at: formatTime(token.revokedAt) });
    if (!token.expiresAt) return t('active');
    const at = formatTime(token.expiresAt);
    return expired(token) ? t('expiredAt', { at }) : t('activeUntil', { at });
  }

  /** Gives `token` a new secret, valid as long as before, and shows it once. */
  async function renewToken(token) {
    const renewed = await api('/api/admin/tokens/' + encodeURIComponent(token.id) + '/renew', {
      method: 'POST',
    });
    // This page's own token: its old secret no longer works, the page goes on with the new one.
    if (token.current) session.set(renewed.token);
    await loadTokens();
    showNewToken(renewed.token, t('tokenRenewed', { name: token.name }));
  }

  /** A token's name as people tell names apart: case and spacing aside ("Ana  Lopez " is "ana lopez"). */
  const nameKey = (name) => name.trim().replace(/\s+/g, ' ').toLowerCase();

  /**
   * Create token. A name an active token already has (in the list as it is now, reloaded first) is most likely the
   * same person, who would get a second token, listed and rated apart from the first: the page first offers to
   * renew the existing token instead, or to create the second one all the same.
   */
  async function createToken() {
    const name = $('token-name').value.trim();
    await loadTokens();
    const same = state.tokens.filter(
      (token) => !token.revokedAt && !expired(token) && nameKey(token.name) === nameKey(name),
    );
    if (same.length) offerRenewal(name, same);
    else await issueToken();
  }

  function offerRenewal(name, same) {
    $('token-duplicate-text').textContent = t('tokenDuplicate', { name });
    $('token-duplicate-list').replaceChildren(
      ...same.map((token) => {
        const about = el('span', {
          id: 'token-duplicate-' + token.id,
          text: [token.name, roleName(token), tokenHistory(token), tokenStatus(token)].join(' · '),
        });
        return el('li', {}, [
          about,
          ' ',
          el('button', {
            type: 'button',
            class: 'small',
            text: t('tokenRenewExisting'),
            // The keyboard comes here: the warning is read with the token it names (no alert read out as well).
            'aria-describedby': `token-duplicate-text ${about.id}`,
            onclick: guarded(async () => {
              await renewToken(token);
              $('token-form').reset();
            }),
          }),
        ]);
      }),
    );
    $('token-duplicate').hidden = false;
    $('token-duplicate-list').querySelector('button').focus();
  }

  function hideRenewalOffer() {
    $('token-duplicate').hidden = true;
  }

  async function issueToken() {
    const form = $('token-form');
    const days = $('token-expiry').value;
    const created = await api('/api/admin/tokens', {
      method: 'POST',
      body: {
        name: $('token-name').value.trim(),
        role: $('token-role').value,
        ...(days ? { expiresInDays: Number(days) } : {}),
      },
    });
    form.reset();
    await loadTokens();
    showNewToken(created.token, t('tokenCreated'));
  }

  // ---- wiring ----

  /** The page's language picker: every language of the texts, each named in itself. */
  function fillLanguagePicker(loaded) {
    const picker = $('page-language');
    picker.replaceChildren(
      ...loaded.locales.map(({ code, name }) => el('option', { value: code, lang: code, text: name })),
    );
    picker.value = loaded.locale;
    picker.addEventListener('change', () => {
      Staff.chooseLanguage(picker.value);
      window.location.reload();
    });
  }

  document.addEventListener('DOMContentLoaded', async () => {
    try {
      const loaded = await texts;
      ({ locale, t, language } = loaded);
      loaded.apply();
      fillLanguagePicker(loaded);
    } catch (err) {
      status(err.message, true);
    }
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
    $('entry-id').addEventListener('input', followIdLanguage);
    $('entry-answer').addEventListener('input', renderPreview);
    $('add-question').addEventListener('click', () => {
      const item = questionItem('');
      $('questions').append(item);
      labelQuestions();
      item.querySelector('input').focus();
    });
    $('cancel-edit').addEventListener('click', () => {
      closeEditor();
      // The focused button is hidden with the editor: the keyboard goes back to the list.
      $('entries-heading').focus();
    });
    $('reload-entry').addEventListener('click', guarded(reloadEntry));
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
    $('token-issue-anyway').addEventListener('click', guarded(issueToken));
    // Another name (or role, or validity) is another question: the offer goes until Create token is pressed again.
    $('token-form').addEventListener('input', hideRenewalOffer);

    const saved = session.get();
    if (saved) await guarded(() => signIn(saved))();
  });
})();
