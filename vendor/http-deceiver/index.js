'use strict';

/*
 * restify 11 loads spdy at start, for its optional SPDY server, and spdy loads http-deceiver, which reads
 * process.binding('http_parser'): a deprecation warning on Node 20 and 22 (DEP0111), a crash on Node 24, where
 * the binding is gone. The bot never starts a SPDY server (no `spdy` option to restify), so this stand-in only
 * has to load; package.json `overrides` puts it in place of the real module.
 */
exports.create = function create() {
  throw new Error('SPDY servers are not supported: http-deceiver is replaced by a stand-in.');
};
