import { Writable } from 'node:stream';
import { ConfigError, LOG_CONTENT_ACKNOWLEDGEMENT, loadConfig } from '../../config';
import { createLogger } from '../../core/logger';

const production = {
  NODE_ENV: 'production',
  MicrosoftAppId: 'app-id',
  MicrosoftAppPassword: 'app-secret',
  ADMIN_TOKEN: 'an-admin-token-of-enough-length',
  DIRECT_LINE_SIGNING_KEY: 'a-signing-key-of-enough-length-Zq8wXv2',
};

/** Logs one line with content fields and returns what was written. */
function logged(logContent: boolean): string {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  const log = createLogger('info', { logContent, destination: sink });
  log.info(
    { text: 'my card is 4111 1111 1111 1111', message: { text: 'PESEL 44051401359' }, caseId: 'c1' },
    'a message',
  );
  return out;
}

describe('message text in logs', () => {
  it('when LOG_CONTENT is off (the default), then content fields are logged as their size only', () => {
    const line = logged(false);
    expect(line).toContain('[content hidden: 30 chars]');
    expect(line).not.toContain('my card');
    expect(line).not.toContain('44051401359');
    expect(line).toContain('"caseId":"c1"');
  });

  it('when LOG_CONTENT is on, then the text is logged with the numbers still redacted', () => {
    const line = logged(true);
    expect(line).toContain('my card is [[redacted:card]]');
    expect(line).toContain('PESEL [[redacted:national-id]]');
    expect(line).not.toContain('4111');
  });

  it('when LOG_CONTENT=true in production without the acknowledgement, then the bot refuses to start', () => {
    expect(loadConfig(production).LOG_CONTENT).toBe(false);
    expect(() => loadConfig({ ...production, LOG_CONTENT: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, LOG_CONTENT: 'true', LOG_CONTENT_ACKNOWLEDGE: 'yes' })).toThrow(
      /LOG_CONTENT/,
    );
    const acknowledged = loadConfig({
      ...production,
      LOG_CONTENT: 'true',
      LOG_CONTENT_ACKNOWLEDGE: LOG_CONTENT_ACKNOWLEDGEMENT,
    });
    expect(acknowledged.LOG_CONTENT).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', LOG_CONTENT: 'true' }).LOG_CONTENT).toBe(true);
  });
});
