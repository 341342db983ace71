import { dropTestDatabases } from '../storage/testMongo';

// setupFilesAfterEnv of the jest project "mongodb": each test file drops the databases it created.
afterAll(dropTestDatabases);
