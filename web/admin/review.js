/*
 * "Messages to review" on the admin page: customer messages the bot may have read wrong (a low rating, a
 * hand-over without a detected complaint, a reply it could not read), each with one button per label of its
 * task. A click stores the label (POST /api/admin/review/:id/label); the bot reads those words as labelled from
 * the next message on, and the item leaves the list.
 *
 * The section's texts come from the `admin` catalog (/api/admin/messages) in the browser's first supported
 * language. Customer text is only ever put into the page with textContent.
 */
'use strict';

(function () {
  const TOKEN_KEY = 'adminToken';
  const $ = (id) => document.getElementById(id);

  /** The catalog key of each label's button text. */
  const LABEL_KEYS = {
    complaint: 'labelComplaint',
    human: 'labelHuman',
    closing: 'labelClosing',
    help: 'labelHelp',
    cancel: 'labelCancel',
    other: 'labelOther',
    yes: 'labelYes',
    no: 'labelNo',
    'rating:none': 'labelRatingNone',
  };
  const TASK_KEYS = {
    message: 'reviewTaskMessage',
    confirm: 'reviewTaskConfirm',
    rating: 'reviewTaskRating',
  };
  /** The catalog key of each escalation reason of a hand-over. */
  const REASON_KEYS = {
    request: 'reasonRequest',
    'not-helpful': 'reasonNotHelpful',
    'no-match': 'reasonNoMatch',
    'low-rating': 'reasonLowRating',
  };

  let locale = 'en';
  let messages = {};

  /** The message `key` with its `{placeholders}` filled from `params`. */
  function t(key, params = {}) {
    const template = Object.hasOwn(messages, key) ? messages[key] : key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  }

  function labelText(label) {
    const score = /^rating:([1-5])$/.exec(label);
    if (score) return t('labelRating', { score: score[1] });
    return Object.hasOwn(LABEL_KEYS, label) ? t(LABEL_KEYS[label]) : label;
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (value !== undefined && value !== null) node.setAttribute(key, String(value));
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function status(message, isError) {
    const line = $('review-status');
    line.textContent = message;
    line.classList.toggle('error', Boolean(isError));
  }

  async function api(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: 'Bearer ' + (sessionStorage.getItem(TOKEN_KEY) || ''),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(data && data.message ? data.message : response.statusText);
    return data;
  }

  async function loadMessages() {
    const preferences =
      navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    const response = await fetch(
      `/api/admin/messages?languages=${encodeURIComponent(preferences.join(','))}`,
    );
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    ({ locale, messages } = await response.json());
    const section = $('review');
    section.lang = locale;
    for (const element of document.querySelectorAll('[data-review-text]'))
      element.textContent = t(element.dataset.reviewText);
    const select = $('review-locale');
    select.dataset.all = t('reviewAll');
    if (select.options[0] && select.options[0].value === '') select.options[0].textContent = t('reviewAll');
  }

  function why(item) {
    if (item.why === 'low-rating') return t('reviewWhyLowRating', { score: item.detail || '' });
    if (item.why === 'handover') {
      const reason = Object.hasOwn(REASON_KEYS, item.detail) ? t(REASON_KEYS[item.detail]) : item.detail;
      return t('reviewWhyHandover', { reason });
    }
    return t('reviewWhyUnread');
  }

  function read(item) {
    const label = labelText(item.read.label);
    return typeof item.read.confidence === 'number'
      ? t('reviewReadConfidence', { label, confidence: Math.round(item.read.confidence * 100) })
      : t('reviewRead', { label });
  }

  function itemView(item) {
    const row = el('li', { class: 'review-item', 'data-id': item.id });
    const buttons = item.labels.map((label) => {
      const button = el('button', { type: 'button', 'data-label': label, text: labelText(label) });
      button.addEventListener('click', () => void labelItem(item, label, row));
      return button;
    });
    row.append(
      el('p', { class: 'review-text', text: item.text }),
      el('p', { class: 'review-meta' }, [
        el('span', { text: item.locale }),
        el('span', { text: t(TASK_KEYS[item.task] || item.task) }),
        el('span', { text: why(item) }),
        el('span', { text: read(item) }),
        el('time', { datetime: item.createdAt, text: new Date(item.createdAt).toLocaleString(locale) }),
      ]),
      el('div', { class: 'review-labels', role: 'group', 'aria-label': item.text }, buttons),
    );
    return row;
  }

  async function load() {
    try {
      const params = new URLSearchParams({ status: 'open' });
      if ($('review-locale').value) params.set('locale', $('review-locale').value);
      const { items } = await api(`/api/admin/review?${params}`);
      $('review-items').replaceChildren(...items.map(itemView));
      status(items.length === 0 ? t('reviewEmpty') : '');
    } catch (err) {
      status(err.message, true);
    }
  }

  async function labelItem(item, label, row) {
    for (const button of row.querySelectorAll('button')) button.disabled = true;
    try {
      await api(`/api/admin/review/${encodeURIComponent(item.id)}/label`, { label });
      row.remove();
      status(t('reviewLabelled', { text: item.text, label: labelText(label) }));
    } catch (err) {
      for (const button of row.querySelectorAll('button')) button.disabled = false;
      status(err.message, true);
    }
  }

  document.addEventListener('admin:signedin', () => void load());
  document.addEventListener('admin:signedout', () => {
    $('review-items').replaceChildren();
    status('');
  });
  document.addEventListener('DOMContentLoaded', () => {
    $('review-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      void load();
    });
    loadMessages().catch((err) => status(err.message, true));
  });
})();
