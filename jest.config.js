/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
};

/**
 * Every suite runs on the embedded store. With TEST_MONGODB_URI set (the GitHub Actions workflow starts a
 * MongoDB replica set), the project "mongodb" runs the handoff, feedback, knowledge and admin suites again with
 * their stores on that server; the storage contract (tests/storage) covers both stores in the default project.
 */
const projects = [{ ...common, displayName: 'embedded', testMatch: ['**/*.test.ts'] }];
if (process.env.TEST_MONGODB_URI) {
  projects.push({
    ...common,
    displayName: 'mongodb',
    testMatch: ['**/tests/{handoff,feedback,knowledge,admin}/**/*.test.ts'],
    setupFiles: ['<rootDir>/tests/helpers/suitesOnMongo.ts'],
    setupFilesAfterEnv: ['<rootDir>/tests/helpers/dropMongoDatabases.ts'],
  });
}

// testTimeout and maxWorkers are global options (a project's own would be ignored).
module.exports = { testTimeout: 30000, maxWorkers: 2, projects };
