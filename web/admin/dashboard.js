// CSAT dashboard of the admin page: rendered into #csat-dashboard. Figures come from /api/admin/ratings/*;
// every text from the server is set with textContent (never innerHTML), the trend chart is hand-made SVG.
// Auth: window.adminApi.fetchJson(path) when the admin page provides it, else the Bearer token kept in
// sessionStorage under "adminToken". The page may call window.csatDashboard.refresh() (e.g. when the tab opens).
'use strict';

(function () {
  const TOKEN_KEY = 'adminToken';
  const LOCALES = ['en', 'id', 'pl', 'nb'];
  const DEFAULT_DAYS = 30;
  /** Longer ranges are charted by week. */
  const MAX_DAILY_POINTS = 62;
  const WORST_FAQ_ROWS = 10;
  const SVG = 'http://www.w3.org/2000/svg';
  const SIGN_IN = 'Sign in with an admin token to see the ratings.';
  const STYLESHEET = document.currentScript
    ? document.currentScript.src.replace(/\.js(\?.*)?$/, '.css')
    : null;

  const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
  const percent = (v) => (v === null ? '–' : `${Math.round(v * 1000) / 10}%`);
  const decimal = (v) => (v === null ? '–' : v.toFixed(2));
  const isoDay = (date) => date.toISOString().slice(0, 10);

  /** Creates an element with attributes and children (strings become text nodes). */
  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  function s(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    for (const child of children)
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function token() {
    return (window.adminApi && window.adminApi.token) || sessionStorage.getItem(TOKEN_KEY) || '';
  }

  async function request(path) {
    const response = await fetch(path, { headers: { authorization: `Bearer ${token()}` } });
    if (!response.ok) {
      let message = `The server answered ${response.status}.`;
      try {
        const body = await response.json();
        if (body && typeof body.message === 'string') message = body.message;
      } catch {
        // not JSON: keep the status message
      }
      throw new HttpError(response.status, message);
    }
    return response;
  }

  async function fetchJson(path) {
    if (window.adminApi && typeof window.adminApi.fetchJson === 'function')
      return window.adminApi.fetchJson(path);
    return (await request(path)).json();
  }

  function ensureStylesheet() {
    if (!STYLESHEET || document.querySelector(`link[href="${STYLESHEET}"]`)) return;
    document.head.append(h('link', { rel: 'stylesheet', href: STYLESHEET }));
  }

  function build(root) {
    const today = new Date();
    const from = new Date(today.getTime() - (DEFAULT_DAYS - 1) * 86400000);
    const ui = {
      from: h('input', { type: 'date', name: 'from', value: isoDay(from), required: true }),
      to: h('input', { type: 'date', name: 'to', value: isoDay(today), required: true }),
      locale: h(
        'select',
        { name: 'locale' },
        h('option', { value: '' }, 'All languages'),
        LOCALES.map((code) => h('option', { value: code }, `${languageNames.of(code)} (${code})`)),
      ),
      apply: h('button', { type: 'submit' }, 'Show'),
      csv: h('button', { type: 'button', class: 'csat-secondary' }, 'Download CSV'),
      status: h('p', { class: 'csat-status', role: 'status', 'aria-live': 'polite' }),
      tiles: h('div', { class: 'csat-tiles' }),
      distribution: h('div', { class: 'csat-distribution', 'aria-label': 'Distribution of scores' }),
      trend: h('div', { class: 'csat-trend' }),
      agents: h('div', { class: 'csat-table-wrap' }),
      faq: h('div', { class: 'csat-table-wrap' }),
    };
    const form = h(
      'form',
      { class: 'csat-filters' },
      h('label', {}, 'From ', ui.from),
      h('label', {}, 'To ', ui.to),
      h('label', {}, 'Language ', ui.locale),
      ui.apply,
      ui.csv,
    );
    // The page's own heading (if any) stays: it names the section and may be a link target.
    const body = h(
      'div',
      { class: 'csat-body' },
      root.querySelector('h1, h2') ? null : h('h2', {}, 'Customer satisfaction'),
      form,
      ui.status,
      ui.tiles,
      h(
        'div',
        { class: 'csat-grid' },
        h('section', {}, h('h3', {}, 'Scores'), ui.distribution),
        h('section', {}, h('h3', {}, 'CSAT over time'), ui.trend),
      ),
      h('section', { class: 'csat-agents' }, h('h3', {}, 'By agent'), ui.agents),
      h('section', { class: 'csat-faq' }, h('h3', {}, 'Lowest rated FAQ answers'), ui.faq),
    );
    root.querySelector('.csat-body')?.remove();
    root.append(body);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void refresh();
    });
    ui.csv.addEventListener('click', () => void downloadCsv());
    return ui;
  }

  let ui = null;

  function query(extra) {
    const params = new URLSearchParams();
    if (ui.from.value) params.set('from', ui.from.value);
    if (ui.to.value) params.set('to', ui.to.value);
    if (ui.locale.value) params.set('locale', ui.locale.value);
    for (const [key, value] of Object.entries(extra || {})) params.set(key, value);
    return `?${params}`;
  }

  function bucketOfRange() {
    const days = (Date.parse(ui.to.value) - Date.parse(ui.from.value)) / 86400000 + 1;
    return days > MAX_DAILY_POINTS ? 'week' : 'day';
  }

  async function refresh() {
    if (!ui) return;
    if (ui.from.value && ui.to.value && ui.from.value > ui.to.value) {
      ui.status.textContent = 'The start date must not be after the end date.';
      return;
    }
    ui.status.textContent = 'Loading…';
    ui.apply.disabled = true;
    try {
      const bucket = bucketOfRange();
      const [summary, trend, agents, faq] = await Promise.all([
        fetchJson(`/api/admin/ratings/summary${query()}`),
        fetchJson(`/api/admin/ratings/trend${query({ bucket })}`),
        fetchJson(`/api/admin/ratings/breakdown${query({ by: 'agentId' })}`),
        fetchJson(`/api/admin/ratings/breakdown${query({ by: 'faqEntryId' })}`),
      ]);
      renderTiles(summary);
      renderDistribution(summary);
      renderTrend(trend.points, bucket);
      renderAgents(agents.rows);
      renderFaq(faq.rows);
      ui.status.textContent = summary.count === 0 ? 'No ratings in this range yet.' : '';
    } catch (error) {
      ui.status.textContent =
        error.status === 401 || error.status === 403
          ? SIGN_IN
          : `The ratings could not be loaded: ${error.message}`;
    } finally {
      ui.apply.disabled = false;
    }
  }

  function renderTiles(summary) {
    const tile = (label, value, hint) =>
      h(
        'div',
        { class: 'csat-tile' },
        h('span', { class: 'csat-tile-value' }, value),
        h('span', {}, label),
        hint,
      );
    ui.tiles.replaceChildren(
      tile('CSAT (4–5)', percent(summary.csat)),
      tile('Average score', summary.average === null ? '–' : `${decimal(summary.average)} / 5`),
      tile('Ratings', String(summary.count)),
      tile('Response rate', percent(summary.responseRate)),
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
          { class: 'csat-bar-row', title: `${n} ratings of ${score}` },
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
      ui.trend.replaceChildren(h('p', { class: 'csat-empty' }, 'No ratings to chart.'));
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
      'aria-label': `CSAT by ${bucket}`,
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
        const label = `${bucket === 'week' ? 'Week of ' : ''}${p.bucket}: CSAT ${percent(p.csat)}, ${p.count} ratings`;
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
    if (rows.length === 0) return h('p', { class: 'csat-empty' }, 'Nothing to show for this range.');
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
            cells.map((text, i) => h('td', { class: i ? 'num' : null }, text)),
          ),
        ),
      ),
    );
  }

  const figures = (row) => [
    String(row.count),
    decimal(row.average),
    percent(row.csat),
    percent(row.responseRate),
  ];

  function renderAgents(rows) {
    const agents = rows
      .filter((row) => row.count > 0 || row.key !== null)
      .map((row) => [row.key === null ? 'No agent (self-service)' : row.key, ...figures(row)]);
    ui.agents.replaceChildren(table(['Agent', 'Ratings', 'Average', 'CSAT', 'Response rate'], agents));
  }

  function renderFaq(rows) {
    const worst = rows
      .filter((row) => row.key !== null && row.count > 0)
      .sort((a, b) => a.average - b.average || b.count - a.count)
      .slice(0, WORST_FAQ_ROWS)
      .map((row) => [row.key, ...figures(row)]);
    ui.faq.replaceChildren(table(['FAQ entry', 'Ratings', 'Average', 'CSAT', 'Response rate'], worst));
  }

  async function downloadCsv() {
    ui.status.textContent = 'Preparing the CSV…';
    try {
      const blob = await (await request(`/api/admin/ratings.csv${query()}`)).blob();
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: `ratings-${ui.from.value}-${ui.to.value}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      ui.status.textContent = '';
    } catch (error) {
      ui.status.textContent = `The CSV could not be downloaded: ${error.message}`;
    }
  }

  /** Forgets the figures shown (after signing out). */
  function clear() {
    if (!ui) return;
    for (const part of [ui.tiles, ui.distribution, ui.trend, ui.agents, ui.faq]) part.replaceChildren();
    ui.status.textContent = SIGN_IN;
  }

  function start() {
    const root = document.getElementById('csat-dashboard');
    if (!root) return;
    ensureStylesheet();
    ui = build(root);
    if (token()) void refresh();
    else clear();
  }

  document.addEventListener('admin:signedout', clear);

  window.csatDashboard = { refresh };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
