import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fromRoot } from '../../core/paths';
import { score } from '../../language/evalCli';

const run = promisify(execFile);
const fixtures = fromRoot('tests', 'fixtures', 'eval-understanding');
const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

async function evalCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      tsx,
      fromRoot('language', 'evalCli.ts'),
      ...args,
    ]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each case starts the command in a new process (tsx compiles it first): slow on a busy machine.
jest.setTimeout(120_000);

const lastLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) ?? '');

describe('eval:understanding command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'eval-understanding-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when given a message set and --out, then it writes one prediction per line in order and the report last', async () => {
    const out = path.join(dir, 'message.jsonl');
    const { stdout, code } = await evalCli([
      '--task',
      'message',
      '--set',
      path.join(fixtures, 'message.jsonl'),
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { text: 'I want to talk to a human', locale: 'en', expected: 'human', predicted: 'human' },
      { text: 'how do I pay my bill?', locale: 'en', expected: 'other', predicted: 'other' },
      { text: 'dzięki, to wszystko', locale: 'pl', expected: 'closing', predicted: 'closing' },
      { text: 'how do i reset my router', locale: 'en', expected: 'human', predicted: 'other' },
    ]);
    expect(lastLine(stdout)).toEqual({
      n: 4,
      accuracy: 0.75,
      labels: {
        closing: { precision: 1, recall: 1, n: 1 },
        human: { precision: 1, recall: 0.5, n: 2 },
        other: { precision: 0.5, recall: 1, n: 1 },
      },
    });
  });

  it('when the task is rating, then negated scores are null and the labels are "1".."5" and "null"', async () => {
    const out = path.join(dir, 'rating.jsonl');
    const { stdout } = await evalCli([
      '--task',
      'rating',
      '--set',
      path.join(fixtures, 'rating.jsonl'),
      '--out',
      out,
    ]);
    const predicted = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { predicted: unknown }).predicted);
    expect(predicted).toEqual([4, null, null]);
    expect(lastLine(stdout)).toEqual({
      n: 3,
      accuracy: 2 / 3,
      labels: {
        '4': { precision: 1, recall: 1, n: 1 },
        '5': { precision: null, recall: 0, n: 1 },
        null: { precision: 0.5, recall: 1, n: 1 },
      },
    });
  });

  it('when the task is confirm, then natural yes and no are read and a question is null', async () => {
    const { stdout } = await evalCli(['--task', 'confirm', '--set', path.join(fixtures, 'confirm.jsonl')]);
    expect(lastLine(stdout)).toMatchObject({ n: 3, accuracy: 1 });
  });

  it.each([
    ['the task is missing', ['--set', path.join(fixtures, 'message.jsonl')]],
    ['the task is unknown', ['--task', 'sentiment', '--set', path.join(fixtures, 'message.jsonl')]],
    ['the set is missing', ['--task', 'message']],
    ['an option is unknown', ['--task', 'message', '--set', 'x.jsonl', '--verbose']],
    ['the set cannot be read', ['--task', 'message', '--set', path.join(fixtures, 'missing.jsonl')]],
    ['a line lacks "expected"', ['--task', 'message', '--set', path.join(fixtures, 'broken.jsonl')]],
  ])('when %s, then it prints the usage on stderr and exits with 2', async (_case, args) => {
    const { stderr, code } = await evalCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run eval:understanding');
  });
});

describe('score', () => {
  it('counts precision over predictions and recall over expectations, null when nothing to count', () => {
    expect(
      score([
        { expected: 'yes', predicted: 'yes' },
        { expected: 'no', predicted: null },
        { expected: null, predicted: 'yes' },
      ]),
    ).toEqual({
      n: 3,
      accuracy: 1 / 3,
      labels: {
        yes: { precision: 0.5, recall: 1, n: 1 },
        no: { precision: null, recall: 0, n: 1 },
        null: { precision: 0, recall: 0, n: 1 },
      },
    });
  });
});
