import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../../core/paths';

const run = promisify(execFile);

describe('the server dependencies', () => {
  it('when restify loads, then no deprecated Node API is used (Node 24 removed the one spdy used)', async () => {
    // --throw-deprecation turns a deprecation warning into an uncaught exception: a non-zero exit.
    const { stdout } = await run(
      process.execPath,
      ['--throw-deprecation', '-e', "require('restify'); console.log('ok')"],
      {
        cwd: projectRoot,
      },
    );
    expect(stdout.trim()).toBe('ok');
  });
});
