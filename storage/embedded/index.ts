export { EmbeddedDatabase, type EmbeddedOptions } from './database';
