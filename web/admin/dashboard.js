// CSAT dashboard of the admin page: rendered into #csat-dashboard. Figures and the latest comments come from
// /api/admin/ratings/*, for the period, in the browser's time zone (its days: `tz`), and the language chosen
// above them; every text from the server (comments, agent names, FAQ questions) is set with textContent
// (never innerHTML), the trend chart is hand-made SVG. Uses the shared staff helpers (web/shared/staff.js): the
// admin token in sessionStorage ("adminToken"), the page's texts from /api/admin/messages, error codes shown in
// the page's language. Refreshes when the admin signs in ("admin:signedin"); a 401 to any of its calls signs the
// page out as the admin page's own calls do (Staff.session's `onEnded`, handled in admin.js).
'use strict';

(function () {
  const { Staff } = window;
  const DEFAULT_DAYS = 30;
  /** Longer ranges are charted by week. */
  const MAX_DAILY_POINTS = 62;
  const WORST_FAQ_ROWS = 10;
  /** Comments per page of the comments list. */
  const COMMENTS_PAGE = 20;
  const SVG = 'http://www.w3.org/2000/svg';
  const STYLESHEET = document.currentScript
    ? document.currentScript.src.replace(/\.js(\?.*)?$/, '.css')
    : null;

  const session = Staff.session('adminToken');
  const api = Staff.api(session);
  let locale = 'en';
  let t = (key) => key;
  let language = (code) => code;
  let locales = [];

  const percent = (v) =>
    v === null
      ? '–'
      : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v);
  const decimal = (v) =>
    v === null
      ? '–'
      : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  /** The browser's time zone: the dashboard's days are the admin's days. */
  const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const pad = (n) => String(n).padStart(2, '0');
  /** A date's local day, YYYY-MM-DD. */
  const isoDay = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

  /** Creates an element with attributes and children (strings become text nodes). */
  function h(tag, attributes, ...children) {
    return Staff.el(tag, attributes, children.flat(Infinity));
  }

  function s(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    for (const child of children)
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  }

  function ensureStylesheet() {
    if (!STYLESHEET || document.querySelector(`link[href="${STYLESHEET}"]`)) return;
    document.head.append(h('link', { rel: 'stylesheet', href: STYLESHEET }));
  }

  const languageOptions = () => [
    h('option', { value: '' }, t('allLanguages')),
    locales.map(({ code }) => h('option', { value: code }, language(code))),
  ];

  function build(root) {
    const today = new Date();
    const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1));
    const ui = {
      from: h('input', { type: 'date', name: 'from', value: isoDay(from), required: true }),
      to: h('input', { type: 'date', name: 'to', value: isoDay(today), required: true }),
      locale: h('select', { name: 'locale' }, languageOptions()),
      apply: h('button', { type: 'submit' }, t('csatShow')),
      csv: h('button', { type: 'button', class: 'csat-secondary' }, t('csatCsv')),
      status: h('p', { class: 'csat-status', role: 'status', 'aria-live': 'polite' }),
      tiles: h('div', { class: 'csat-tiles' }),
      distribution: h('div', {
        class: 'csat-distribution',
        role: 'group',
        'aria-label': t('csatDistribution'),
      }),
      trend: h('div', { class: 'csat-trend' }),
      agents: h('div', { class: 'csat-table-wrap' }),
      agentsNote: h('p', { class: 'csat-note' }),
      faq: h('div', { class: 'csat-table-wrap' }),
      faqOrder: h('p', { class: 'csat-note' }),
      commentScore: h(
        'select',
        { name: 'score' },
        h('option', { value: '' }, t('allScores')),
        ['1', '2', '3', '4', '5'].map((score) => h('option', { value: score }, `${score} ★`)),
      ),
      comments: h('ul', { class: 'csat-comments' }),
      commentsStatus: h('p', { class: 'csat-status', role: 'status', 'aria-live': 'polite' }),
      more: h('button', { type: 'button', class: 'csat-secondary', hidden: true }, t('commentsMore')),
    };
    const form = h(
      'form',
      { class: 'csat-filters' },
      h('label', {}, t('csatFrom'), ' ', ui.from),
      h('label', {}, t('csatTo'), ' ', ui.to),
      h('label', {}, t('language'), ' ', ui.locale),
      ui.apply,
      ui.csv,
      h('p', { class: 'csat-zone' }, t('csatTimeZone', { zone: TIME_ZONE })),
    );
    const commentsForm = h(
      'form',
      { class: 'csat-filters csat-comments-filter' },
      h('label', {}, t('commentsScore'), ' ', ui.commentScore),
      h('button', { type: 'submit' }, t('csatShow')),
    );
    // The page's own heading (if any) stays: it names the section and may be a link target.
    const body = h(
      'div',
      { class: 'csat-body' },
      root.querySelector('h1, h2') ? null : h('h2', {}, t('csatHeading')),
      form,
      ui.status,
      ui.tiles,
      h(
        'div',
        { class: 'csat-grid' },
        h('section', {}, h('h3', {}, t('csatScores')), ui.distribution),
        h('section', {}, h('h3', {}, t('csatTrend')), ui.trend),
      ),
      h('section', { class: 'csat-agents' }, h('h3', {}, t('csatByAgent')), ui.agentsNote, ui.agents),
      h('section', { class: 'csat-faq' }, h('h3', {}, t('csatWorstFaq')), ui.faqOrder, ui.faq),
      h(
        'section',
        { class: 'csat-comments-section', 'aria-labelledby': 'csat-comments-heading' },
        h('h3', { id: 'csat-comments-heading' }, t('commentsHeading')),
        commentsForm,
        ui.commentsStatus,
        ui.comments,
        ui.more,
      ),
    );
    root.querySelector('.csat-body')?.remove();
    root.append(body);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void refresh();
    });
    ui.csv.addEventListener('click', () => void downloadCsv());
    commentsForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void loadComments(0);
    });
    ui.more.addEventListener('click', () => void loadComments(ui.comments.children.length));
    return ui;
  }

  let ui = null;

  /** The filters above the figures (period in the browser's days, language) and `extra` as query parameters. */
  function params(extra) {
    const params = new URLSearchParams({ tz: TIME_ZONE });
    if (ui.from.value) params.set('from', ui.from.value);
    if (ui.to.value) params.set('to', ui.to.value);
    if (ui.locale.value) params.set('locale', ui.locale.value);
    for (const [key, value] of Object.entries(extra || {})) params.set(key, value);
    return params;
  }

  const query = (extra) => `?${params(extra)}`;

  function bucketOfRange() {
    const days = (Date.parse(ui.to.value) - Date.parse(ui.from.value)) / 86400000 + 1;
    return days > MAX_DAILY_POINTS ? 'week' : 'day';
  }

  async function refresh() {
    if (!ui) return;
    if (ui.from.value && ui.to.value && ui.from.value > ui.to.value) {
      ui.status.textContent = t('csatDateOrder');
      return;
    }
    ui.status.textContent = t('loading');
    ui.apply.disabled = true;
    try {
      const bucket = bucketOfRange();
      const [summary, trend, agents, faq] = await Promise.all([
        api(`/api/admin/ratings/summary${query()}`),
        api(`/api/admin/ratings/trend${query({ bucket })}`),
        api(`/api/admin/ratings/breakdown${query({ by: 'agentId' })}`),
        api(`/api/admin/ratings/breakdown${query({ by: 'faqEntryId', order: 'lowest' })}`),
        loadStaffNames(),
        loadFaqQuestions(),
      ]);
      for (const row of agents.rows) if (row.key !== null && row.name) agentNames.set(row.key, row.name);
      await loadComments(0);
      renderTiles(summary);
      renderDistribution(summary);
      renderTrend(trend.points, bucket);
      renderAgents(agents.rows, agents.minRatings);
      renderFaq(faq.rows, faq.minRatings);
      ui.status.textContent = summary.count === 0 ? t('csatNoRatings') : '';
    } catch (error) {
      ui.status.textContent =
        error.status === 401 || error.status === 403
          ? t('csatSignIn')
          : t('csatNotLoaded', { problem: Staff.errorText(error, t) });
    } finally {
      ui.apply.disabled = false;
    }
  }

  function renderTiles(summary) {
    const tile = (label, value, ...hints) =>
      h(
        'div',
        { class: 'csat-tile' },
        h('span', { class: 'csat-tile-value' }, value),
        h('span', {}, label),
        hints,
      );
    ui.tiles.replaceChildren(
      tile(
        t('csatTile'),
        percent(summary.csat),
        summary.csatInterval &&
          h('span', { class: 'csat-tile-range' }, t('csatTileRange', rangeOf(summary.csatInterval))),
        tooFew(summary),
      ),
      tile(t('csatAverage'), summary.average === null ? '–' : `${decimal(summary.average)} / 5`),
      tile(t('csatRatings'), String(summary.count)),
      tile(t('csatResponseRate'), percent(summary.responseRate)),
    );
  }

  function renderDistribution(summary) {
    const max = Math.max(1, ...Object.values(summary.distribution));
    ui.distribution.replaceChildren(
      ...['5', '4', '3', '2', '1'].map((score) => {
        const n = summary.distribution[score];
        const share = summary.count === 0 ? 0 : n / summary.count;
        const bar = h('span', { class: `csat-bar csat-score-${score}` });
        bar.style.width = `${(n / max) * 100}%`;
        return h(
          'div',
          { class: 'csat-bar-row', title: t('csatBarTitle', { count: n, score }) },
          h('span', { class: 'csat-bar-label' }, `${score} ★`),
          h('span', { class: 'csat-bar-track' }, bar),
          h('span', { class: 'csat-bar-value' }, `${n} (${percent(share)})`),
        );
      }),
    );
  }

  /** A line of CSAT per bucket (0–100%), with a dot per point; buckets without ratings leave a gap. */
  function renderTrend(points, bucket) {
    const rated = points.filter((p) => p.csat !== null);
    if (rated.length === 0) {
      ui.trend.replaceChildren(h('p', { class: 'csat-empty' }, t('csatNothingToChart')));
      return;
    }
    const width = 560;
    const height = 200;
    const pad = { left: 40, right: 24, top: 12, bottom: 28 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    // Positioned by date, so a quiet stretch without ratings shows as the gap in time it was.
    const times = points.map((p) => Date.parse(p.bucket));
    const first = times[0];
    const span = times[times.length - 1] - first;
    const x = (i) => pad.left + (span === 0 ? plotW / 2 : ((times[i] - first) * plotW) / span);
    const y = (v) => pad.top + plotH - v * plotH;
    const svg = s('svg', {
      viewBox: `0 0 ${width} ${height}`,
      class: 'csat-chart',
      role: 'img',
      'aria-label': bucket === 'week' ? t('csatByWeek') : t('csatByDay'),
    });
    for (const level of [0, 0.25, 0.5, 0.75, 1]) {
      svg.append(
        s('line', {
          x1: pad.left,
          x2: width - pad.right,
          y1: y(level),
          y2: y(level),
          class: 'csat-grid-line',
        }),
      );
      svg.append(s('text', { x: pad.left - 6, y: y(level) + 4, 'text-anchor': 'end' }, `${level * 100}%`));
    }
    let path = '';
    points.forEach((p, i) => {
      if (p.csat === null) return;
      const previous = points[i - 1];
      path += `${path && previous && previous.csat !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.csat).toFixed(1)}`;
    });
    svg.append(s('path', { d: path, class: 'csat-line' }));
    const labelEvery = Math.max(1, Math.ceil(points.length / 8));
    points.forEach((p, i) => {
      if (p.csat !== null) {
        // The point's tooltip says what the tables say of a row: its 95% range, its count, and whether it is too few.
        const point = t(bucket === 'week' ? 'csatPointWeek' : 'csatPointDay', {
          bucket: p.bucket,
          csat: percent(p.csat),
          range: t('csatTileRange', rangeOf(p.csatInterval)),
          count: p.count,
        });
        const label = fewRatings(p) ? `${point}. ${t('csatTooFew')}` : point;
        svg.append(
          s('circle', { cx: x(i), cy: y(p.csat), r: 3.5, class: 'csat-dot' }, s('title', {}, label)),
        );
      }
      if (i % labelEvery === 0) {
        svg.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, p.bucket.slice(5)));
      }
    });
    ui.trend.replaceChildren(svg);
  }

  function table(headers, rows) {
    if (rows.length === 0) return h('p', { class: 'csat-empty' }, t('csatNothing'));
    return h(
      'table',
      { class: 'csat-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((text, i) => h('th', { scope: 'col', class: i ? 'num' : null }, text)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            // Each cell names its column, shown beside it where the table stacks (narrow screens).
            cells.map((text, i) => h('td', { class: i ? 'num' : null, 'data-label': headers[i] }, text)),
          ),
        ),
      ),
    );
  }

  /** The bounds of a CSAT interval as the page writes shares. */
  const rangeOf = (interval) => ({ low: percent(interval.low), high: percent(interval.high) });

  /** Whether a row or point has some ratings but too few to judge (the API's `enoughRatings`). */
  const fewRatings = (row) => row.count > 0 && !row.enoughRatings;

  /**
   * "Too few ratings to judge" after a figure of some but too few ratings, as text after a space, so screen
   * readers read it with the figure; nothing otherwise.
   */
  const tooFew = (row) => (fewRatings(row) ? [' ', h('span', { class: 'csat-few' }, t('csatTooFew'))] : null);

  const figures = (row) => [
    h('span', {}, String(row.count), tooFew(row)),
    decimal(row.average),
    percent(row.csat),
    row.csatInterval ? t('csatRange', rangeOf(row.csatInterval)) : '–',
    percent(row.responseRate),
  ];

  /** Names of staff by token id (revoked tokens included), for the agent rows and comments. */
  const staffNames = new Map();

  async function loadStaffNames() {
    try {
      const { tokens } = await api('/api/admin/tokens');
      for (const token of tokens) staffNames.set(token.id, token.name);
    } catch {
      // Without the names the figures still show, by id.
    }
  }

  /** Names of agents from the reports (the name they took their cases with: Teams agents have no token). */
  const agentNames = new Map();

  /**
   * A member of staff as admins know them: the token's name, else the name they took their cases with, or the id
   * when neither is known.
   */
  const staffName = (id) => staffNames.get(id) ?? agentNames.get(id) ?? id;

  /** The FAQ entries by id (first question and language), for the lowest rated answers and the comments. */
  const faqEntries = new Map();

  async function loadFaqQuestions() {
    try {
      const { entries } = await api('/api/admin/faq');
      for (const entry of entries) faqEntries.set(entry.id, entry);
    } catch {
      // Without the entries the rows still show, by id.
    }
  }

  /** An answer as admins know it: its entry's first question, in the entry's language; the id once deleted. */
  function faqName(id) {
    const entry = faqEntries.get(id);
    const question = entry && entry.questions && entry.questions[0];
    return question ? h('span', { lang: entry.locale, title: id }, question) : id;
  }

  /** The page's text `key` with its placeholder `{name}` replaced by `node` (text or an element). */
  function textWith(key, name, node) {
    const [before, after = ''] = t(key).split(`{${name}}`);
    return h('span', {}, before, node, after);
  }

  function renderAgents(rows, minRatings) {
    const agents = rows
      .filter((row) => row.count > 0 || row.key !== null)
      .map((row) => [row.key === null ? t('csatNoAgent') : staffName(row.key), ...figures(row)]);
    ui.agentsNote.textContent = t('csatRangeNote', { min: minRatings });
    ui.agents.replaceChildren(table([t('csatAgent'), ...FIGURE_HEADERS()], agents));
  }

  /** The answers in the API's `lowest` order (see its lowestFirst), the first WORST_FAQ_ROWS rated ones. */
  function renderFaq(rows, minRatings) {
    const worst = rows
      .filter((row) => row.key !== null && row.count > 0)
      .slice(0, WORST_FAQ_ROWS)
      .map((row) => [faqName(row.key), ...figures(row)]);
    ui.faqOrder.textContent = t('csatFaqOrder', { min: minRatings });
    ui.faq.replaceChildren(table([t('csatFaqEntry'), ...FIGURE_HEADERS()], worst));
  }

  const FIGURE_HEADERS = () => [
    t('csatRatings'),
    t('csatAverageShort'),
    'CSAT',
    t('csatRangeHeading'),
    t('csatResponseRate'),
  ];

  // ---- the latest comments ----

  /**
   * A page of the latest comments of the period and language chosen above (from `offset`), of a score if one is
   * chosen; the first page replaces the list, later ones extend it.
   */
  async function loadComments(offset) {
    const filters = params({ limit: String(COMMENTS_PAGE), offset: String(offset) });
    if (ui.commentScore.value) filters.set('score', ui.commentScore.value);
    ui.more.hidden = true;
    try {
      const page = await api(`/api/admin/ratings/comments?${filters}`);
      const items = page.comments.map(commentItem);
      if (offset === 0) ui.comments.replaceChildren(...items);
      else ui.comments.append(...items);
      ui.more.hidden = !page.more;
      ui.commentsStatus.textContent = ui.comments.children.length === 0 ? t('commentsNone') : '';
    } catch (error) {
      ui.commentsStatus.textContent = Staff.errorText(error, t);
    }
  }

  /**
   * One comment: the customer's words as text (never HTML), with its score (or that none was given), language,
   * answer and date.
   */
  function commentItem(comment) {
    const about = comment.faqEntryId
      ? textWith('commentAboutEntry', 'entry', faqName(comment.faqEntryId))
      : comment.agentId
        ? t('commentAboutAgent', { agent: staffName(comment.agentId) })
        : t('commentAboutNothing');
    return h(
      'li',
      { class: `csat-comment csat-comment-${comment.score ?? 'none'}` },
      h('p', { class: 'csat-comment-text' }, Staff.shown(comment.text, t)),
      h(
        'p',
        { class: 'csat-comment-meta' },
        h(
          'span',
          { class: 'csat-comment-score' },
          comment.score === undefined ? t('commentNoScore') : `${comment.score} ★`,
        ),
        h('span', {}, language(comment.locale)),
        h('span', {}, about),
        h('time', { datetime: comment.at }, new Date(comment.at).toLocaleString(locale)),
      ),
    );
  }

  async function downloadCsv() {
    ui.status.textContent = t('csatPreparingCsv');
    try {
      const csv = await api(`/api/admin/ratings.csv${query({ separator: Staff.csvSeparator() })}`, {
        raw: true,
      });
      const blob = await csv.blob();
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: `ratings-${ui.from.value}-${ui.to.value}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      ui.status.textContent = '';
    } catch (error) {
      ui.status.textContent = t('csatCsvFailed', { problem: Staff.errorText(error, t) });
    }
  }

  /** Forgets the figures shown (after signing out). */
  function clear() {
    if (!ui) return;
    for (const part of [ui.tiles, ui.distribution, ui.trend, ui.agents, ui.faq, ui.comments])
      part.replaceChildren();
    ui.agentsNote.textContent = '';
    ui.faqOrder.textContent = '';
    ui.more.hidden = true;
    ui.commentsStatus.textContent = '';
    ui.status.textContent = t('csatSignIn');
  }

  async function start() {
    const root = document.getElementById('csat-dashboard');
    if (!root) return;
    ensureStylesheet();
    try {
      const texts = await Staff.texts('/api/admin/messages');
      ({ locale, t, language, locales } = texts);
    } catch {
      // Without its texts the dashboard still shows its figures, labelled by their keys.
    }
    ui = build(root);
    if (session.get()) void refresh();
    else clear();
  }

  document.addEventListener('admin:signedin', () => void refresh());
  document.addEventListener('admin:signedout', clear);

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
  else void start();
})();
