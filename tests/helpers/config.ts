import { loadConfig, type Config } from '../../config';

/** The config for tests: development defaults, quiet logs, no demo seed, plus the given overrides. */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', FAQ_SEED_DEMO: 'false', ...overrides });
}
