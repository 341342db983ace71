import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from '../../config';
import { fromRoot } from '../../core/paths';

jest.setTimeout(60_000);

/** What Node's .env loader (process.loadEnvFile, used by index.ts) reads from a file's text. */
const loaded = (text: string): Record<string, string | undefined> => parseEnv(text);

/** The problems loadConfig names for `env` (none: it loads). */
function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** Starts the bot (index.ts) in an empty folder holding `.env`, with nothing else in its environment. */
function startWith(dotEnv: string): Promise<{ code: number | null; stderr: string; folder: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'config-start-'));
  writeFileSync(path.join(folder, '.env'), dotEnv);
  return new Promise((resolve) => {
    execFile(
      fromRoot('node_modules', '.bin', 'tsx'),
      [fromRoot('index.ts')],
      // A safety net so that a bot that does start cannot hang the suite (it would fail the test, not pass it).
      { cwd: folder, env: { PATH: process.env.PATH ?? '' }, timeout: 45_000 },
      (err, _stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr, folder });
      },
    );
  });
}

describe('.env.example and the .env loader', () => {
  const example = readFileSync(fromRoot('.env.example'), 'utf8');

  it('when .env.example is read by Node’s .env loader, then every value arrives as written (none is cut at a #)', () => {
    const read = loaded(example);
    const written = [...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map(
      ([, name = '', value = '']) => [name, value.replace(/^"(.*)"$/, '$1')],
    );
    expect(written.length).toBeGreaterThan(30);
    for (const [name = '', value] of written) expect([name, read[name]]).toEqual([name, value]);
  });

  it('when .env.example is copied as it is, then the bot loads it with its defaults and the example colour', () => {
    const config = loadConfig(loaded(example));
    expect(config.WEBCHAT_ACCENT_COLOR).toBe('#0a5fd8');
    expect(config.PORT).toBe(3978);
  });

  it('when a colour is written unquoted, then the loader empties it and start-up is refused naming the variable and the #', () => {
    const cut = loaded('WEBCHAT_ACCENT_COLOR=#ff0000\n');
    expect(cut.WEBCHAT_ACCENT_COLOR).toBe('');
    const [problem, ...others] = problems(cut);
    expect(others).toEqual([]);
    expect(problem).toMatch(/^WEBCHAT_ACCENT_COLOR: present but empty/);
    expect(problem).toContain('WEBCHAT_ACCENT_COLOR="#');
    expect(loadConfig(loaded('WEBCHAT_ACCENT_COLOR="#ff0000"\n')).WEBCHAT_ACCENT_COLOR).toBe('#ff0000');
  });

  it('when a setting that may be empty is empty, then its default applies without a word', () => {
    expect(
      problems({ STAFF_LOCALE: '', FAQ_ANSWER_THRESHOLD: '', BUSINESS_HOURS: '', MicrosoftAppId: '' }),
    ).toEqual([]);
  });
});

describe('configuration errors name the variable at fault', () => {
  it('when DEFAULT_LOCALE has no folder and STAFF_LOCALE is unset, then only DEFAULT_LOCALE is named, saying the staff side follows it', () => {
    const found = problems({ DEFAULT_LOCALE: 'de' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^DEFAULT_LOCALE: no locale folder "de" in locales\/ \(there are en, id, nb, pl\)/,
    );
    expect(found[0]).toContain('STAFF_LOCALE follows it unless set');
    expect(problems({ DEFAULT_LOCALE: 'de', STAFF_LOCALE: 'pl' })).toEqual([
      expect.stringMatching(/^DEFAULT_LOCALE:/),
    ]);
    expect(problems({ STAFF_LOCALE: 'de' })).toEqual([
      expect.stringMatching(/^STAFF_LOCALE: no locale folder "de"/),
    ]);
  });

  it.each([
    [{ BUSINESS_TIMEZONE: 'Mars/Base' }, /^BUSINESS_TIMEZONE: unknown time zone "Mars\/Base"/],
    [{ BUSINESS_HOURS: 'Mon 9-17' }, /^BUSINESS_HOURS: .*"9-17"/],
    [
      { FAQ_ANSWER_THRESHOLD: '0.2', FAQ_CLARIFY_THRESHOLD: '0.5' },
      /^FAQ_ANSWER_THRESHOLD: 0.2 is below FAQ_CLARIFY_THRESHOLD \(0.5\)/,
    ],
    [
      { FAQ_ANSWER_THRESHOLD: '0.2' },
      /^FAQ_ANSWER_THRESHOLD: 0.2 is below FAQ_CLARIFY_THRESHOLD \(not set: the default 0.32\)/,
    ],
    [
      { FAQ_CLARIFY_THRESHOLD: '0.9' },
      /^FAQ_CLARIFY_THRESHOLD: 0.9 is above FAQ_ANSWER_THRESHOLD \(not set: the default 0.6\)/,
    ],
  ])('when %o, then exactly that variable is named', (env, pattern) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(pattern);
  });

  it('when the thresholds are equal or in order, then they load', () => {
    expect(
      loadConfig({ FAQ_ANSWER_THRESHOLD: '0.5', FAQ_CLARIFY_THRESHOLD: '0.5' }).FAQ_ANSWER_THRESHOLD,
    ).toBe(0.5);
    expect(loadConfig({ FAQ_CLARIFY_THRESHOLD: '0.2' }).FAQ_ANSWER_THRESHOLD).toBeGreaterThan(0.2);
  });

  it('when the bot starts with such a .env, then it stops before opening anything and lists each variable at fault once', async () => {
    const { code, stderr, folder } = await startWith(
      [
        'DEFAULT_LOCALE=de',
        'WEBCHAT_ACCENT_COLOR=#ff0000',
        'BUSINESS_TIMEZONE=Mars/Base',
        'FAQ_ANSWER_THRESHOLD=0.2',
        'FAQ_CLARIFY_THRESHOLD=0.5',
        '',
      ].join('\n'),
    );
    try {
      expect(code).toBe(1);
      const named = [...stderr.matchAll(/^ {2}- ([A-Za-z_]+):/gm)].map(([, name]) => name).sort();
      expect(named).toEqual([
        'BUSINESS_TIMEZONE',
        'DEFAULT_LOCALE',
        'FAQ_ANSWER_THRESHOLD',
        'WEBCHAT_ACCENT_COLOR',
      ]);
      // Refused at configuration: no store was opened in the folder.
      expect(existsSync(path.join(folder, 'data'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
