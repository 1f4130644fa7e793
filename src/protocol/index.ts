// Salesforce's wire documents, parse and render side by side, with no I/O: what a client of localforce (or of a
// real org) needs to build requests and read responses. Exported as `localforce/protocol`.
export * from './errors.js';
export * from './bulk1/format.js';
export * from './bulk1/job-info.js';
export * from './bulk1/batch-info.js';
export * from './bulk1/results.js';
export * from './bulk1/error.js';
export * from './soap-login.js';
export * from './oauth.js';
