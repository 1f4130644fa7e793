// The package's entry point: start a localforce server from code (tests, tools) with the same options as
// `localforce serve`. The wire documents are exported separately as `localforce/protocol`.
export { startServer, type RunningServer } from './server/server.js';
export { DEFAULT_CONFIG, LOCALFORCE_VERSION, type ServerConfig } from './config/server-config.js';
