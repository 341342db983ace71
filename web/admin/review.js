/*
 * "Messages to review" on the admin page: customer messages the bot may have read wrong (a low rating, a
 * hand-over without a detected complaint, a reply it could not read), each with one button per label of its
 * task. A click stores the label (POST /api/admin/review/:id/label); the bot reads those words as labelled from
 * the next message on, and the item leaves the list. The status line then offers to take the label back
 * (DELETE /api/admin/review/:id/label): the item comes back and the words are read as before. The list comes a page
 * at a time: while more wait, "Show more messages" adds the next page (from after the last item listed), and a list
 * labelled to its end says that more wait rather than that nothing is left.
 *
 * The section's texts are the page's (Staff.texts, web/shared/staff.js). Customer text is only ever put into the
 * page with textContent.
 */
'use strict';

(function () {
  const { Staff } = window;
  const $ = (id) => document.getElementById(id);
  const el = Staff.el;
  const api = Staff.api(Staff.session('adminToken'));

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
  let t = (key) => key;
  let language = (code) => code;
  /** The language the list shows ('' for all of them). */
  let listed = '';
  /** Where the next page starts (the API's `next`), or '' when the list holds every item. */
  let next = '';

  function labelText(label) {
    const score = /^rating:([1-5])$/.exec(label);
    if (score) return t('labelRating', { score: score[1] });
    return Object.hasOwn(LABEL_KEYS, label) ? t(LABEL_KEYS[label]) : label;
  }

  function status(message, isError) {
    const line = $('review-status');
    line.textContent = message;
    line.classList.toggle('error', Boolean(isError));
  }

  async function loadMessages() {
    ({ locale, t, language } = await Staff.texts('/api/admin/messages'));
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
      el('p', { class: 'review-text', text: Staff.shown(item.text, t) }),
      el('p', { class: 'review-meta' }, [
        el('span', { text: language(item.locale) }),
        el('span', { text: t(TASK_KEYS[item.task] || item.task) }),
        el('span', { text: why(item) }),
        el('span', { text: read(item) }),
        el('time', { datetime: item.createdAt, text: new Date(item.createdAt).toLocaleString(locale) }),
      ]),
      el('div', { class: 'review-labels', role: 'group', 'aria-label': Staff.shown(item.text, t) }, buttons),
    );
    return row;
  }

  /** What an empty list says: nothing to review (in the language chosen). */
  const nothingLeft = () => (listed ? t('reviewEmptyIn', { language: language(listed) }) : t('reviewEmpty'));

  /** A page of the list in the language chosen (`after`: the end of the page before); remembers where the next starts. */
  async function page(locale, after) {
    const params = new URLSearchParams({ status: 'open' });
    if (locale) params.set('locale', locale);
    if (after) params.set('after', after);
    const found = await api(`/api/admin/review?${params}`);
    next = found.next || '';
    $('review-more').hidden = !next;
    return found.items;
  }

  async function load() {
    try {
      const chosen = $('review-locale').value;
      const items = await page(chosen, '');
      listed = chosen;
      $('review-items').replaceChildren(...items.map(itemView));
      status(items.length === 0 ? nothingLeft() : '');
    } catch (err) {
      status(Staff.errorText(err, t), true);
    }
  }

  /** Adds the next page to the list; the keyboard goes on to its first message. */
  async function loadMore() {
    const button = $('review-more');
    button.disabled = true;
    try {
      const rows = (await page(listed, next)).map(itemView);
      $('review-items').append(...rows);
      if (rows[0]) rows[0].querySelector('button').focus();
    } catch (err) {
      status(Staff.errorText(err, t), true);
    } finally {
      button.disabled = false;
    }
  }

  async function labelItem(item, label, row) {
    for (const button of row.querySelectorAll('button')) button.disabled = true;
    try {
      await api(`/api/admin/review/${encodeURIComponent(item.id)}/label`, {
        method: 'POST',
        body: { label },
      });
      // The pressed button goes with its row: the keyboard goes on to the next message, else to "Show more
      // messages" while more wait, else to the heading.
      const neighbour = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      (neighbour ? neighbour.querySelector('button') : next ? $('review-more') : $('review-heading')).focus();
      labelled(item, label);
    } catch (err) {
      for (const button of row.querySelectorAll('button')) button.disabled = false;
      status(Staff.errorText(err, t), true);
    }
  }

  /**
   * Says what the click taught (and when it was the last item listed, that more wait or that nothing is left), with
   * the way to take it back.
   */
  function labelled(item, label) {
    const line = $('review-status');
    const undo = el('button', { type: 'button', class: 'review-undo', text: t('reviewUndo') });
    undo.addEventListener('click', () => void unlabel(item, undo));
    const taught = t('reviewLabelled', { text: Staff.shown(item.text, t), label: labelText(label) });
    line.classList.remove('error');
    line.replaceChildren(
      el('span', {
        text: $('review-items').children.length
          ? taught
          : `${taught} ${next ? t('reviewMoreWaiting') : nothingLeft()}`,
      }),
      ' ',
      undo,
    );
  }

  async function unlabel(item, button) {
    button.disabled = true;
    try {
      await api(`/api/admin/review/${encodeURIComponent(item.id)}/label`, { method: 'DELETE' });
      await load();
      status(t('reviewUndone', { text: Staff.shown(item.text, t) }));
    } catch (err) {
      button.disabled = false;
      status(Staff.errorText(err, t), true);
    }
  }

  document.addEventListener('admin:signedin', () => void load());
  document.addEventListener('admin:signedout', () => {
    $('review-items').replaceChildren();
    next = '';
    $('review-more').hidden = true;
    status('');
  });
  document.addEventListener('DOMContentLoaded', () => {
    $('review-more').addEventListener('click', () => void loadMore());
    $('review-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      void load();
    });
    loadMessages().catch(() => status(t('error.generic'), true));
  });
})();
