// setupFiles of the jest project "mongodb" (jest.config.js): the suites of this project open their stores on
// the MongoDB server of TEST_MONGODB_URI (tests/helpers/testDatabase.ts).
process.env.TEST_SUITES_STORE = 'mongodb';
