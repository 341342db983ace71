import { loadConfig, type Config } from '../../config';

/**
 * The config for tests: development defaults, quiet logs, no demo seed, no daily bound of requests for a person
 * (a test's customers share one address and often one user id; the bound's own tests set it), plus the given
 * overrides.
 */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    FAQ_SEED_DEMO: 'false',
    HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: '0',
    ...overrides,
  });
}
