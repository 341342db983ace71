import { startTestBot, type TestBot } from '../helpers/harness';

describe('the admin page files', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it.each([
    ['/admin', 'text/html; charset=utf-8'],
    ['/admin/admin.js', 'text/javascript; charset=utf-8'],
    ['/admin/admin.css', 'text/css; charset=utf-8'],
    ['/shared/markdown.js', 'text/javascript; charset=utf-8'],
    ['/shared/markdown-it.js', 'text/javascript; charset=utf-8'],
    ['/shared/languages.js', 'text/javascript; charset=utf-8'],
    ['/shared/staff.js', 'text/javascript; charset=utf-8'],
    ['/shared/theme.css', 'text/css; charset=utf-8'],
  ])('when %s is requested, then it is served as %s with a strict CSP and nosniff', async (path, type) => {
    const response = await fetch(`${bot.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('when the page is read, then it has no inline script or style and includes the CSAT dashboard section', async () => {
    const html = await (await fetch(`${bot.url}/admin`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=|style=/i);
    expect(html).toMatch(/<section id="csat-dashboard" aria-labelledby="csat-heading">/);
    expect(html).toContain('<script src="/admin/dashboard.js" defer></script>');
  });

  it.each([
    '/admin/..%2Fpackage.json',
    '/admin/.env',
    '/admin/nothing.js',
    '/shared/..%2F..%2Fconfig.ts',
    '/shared/..%2Fadmin%2Fadmin.js',
    '/shared/nothing.js',
    '/admin/shared/markdown.js',
  ])('when %s is requested, then 404', async (path) => {
    expect((await fetch(`${bot.url}${path}`)).status).toBe(404);
  });
});
