import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fromRoot } from '../../core/paths';

const run = promisify(execFile);
const fixtures = fromRoot('tests', 'fixtures', 'eval');
const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

async function evalCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      tsx,
      fromRoot('knowledge', 'evalCli.ts'),
      ...args,
    ]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('eval:faq command line', () => {
  it('when given a knowledge base and queries, then the last line is the JSON report', async () => {
    const { stdout, code } = await evalCli([
      '--kb',
      path.join(fixtures, 'kb.json'),
      '--queries',
      path.join(fixtures, 'queries.jsonl'),
    ]);
    expect(code).toBe(0);
    const last = stdout.trim().split('\n').at(-1)!;
    const report: unknown = JSON.parse(last);
    expect(report).toEqual({
      n: 5,
      top1: 1,
      inScopeAccuracy: 1,
      oosPrecision: 1,
      oosRecall: 1,
      msPerQuery: expect.any(Number) as number,
    });
  });

  it('when the threshold is 1, then every query is predicted out of scope', async () => {
    const { stdout } = await evalCli([
      '--kb',
      path.join(fixtures, 'kb.json'),
      '--queries',
      path.join(fixtures, 'queries.jsonl'),
      '--threshold',
      '1',
    ]);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(report).toMatchObject({ n: 5, top1: 0.2, inScopeAccuracy: 0, oosPrecision: 0.2, oosRecall: 1 });
  });

  it('when --baseline is given, then the TF-IDF baseline comes first and the last line is still the matcher report', async () => {
    const { stdout, code } = await evalCli([
      '--kb',
      path.join(fixtures, 'kb.json'),
      '--queries',
      path.join(fixtures, 'queries.jsonl'),
      '--baseline',
    ]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const baseline = JSON.parse(lines[0]!.replace(/^baseline /, '')) as Record<string, number>;
    expect(baseline).toMatchObject({ n: 5, threshold: expect.any(Number) as number });
    expect(baseline.top1).toBeGreaterThan(0);
    expect(JSON.parse(lines[1]!)).toMatchObject({ n: 5, top1: 1 });
  });

  it.each([
    ['a required argument is missing', ['--kb', 'kb.json']],
    ['the threshold is not a number from 0 to 1', ['--kb', 'a', '--queries', 'b', '--threshold', 'high']],
    ['an option is unknown', ['--kb', 'a', '--queries', 'b', '--verbose']],
    ['a file cannot be read', ['--kb', 'missing.json', '--queries', 'missing.jsonl']],
  ])('when %s, then it prints the usage on stderr and exits with 2', async (_case, args) => {
    const { stderr, code } = await evalCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run eval:faq');
  });
});
