#!/usr/bin/env node
// The command line. `localforce serve` is what `npm start` runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG, LOCALFORCE_VERSION, startServer } from '../server/server.js';
import { redactDatabaseUrl } from '../store/database-url.js';

const program = new Command('localforce').description("A local server that speaks Salesforce's Bulk API").version(LOCALFORCE_VERSION);

const env = (name: string) => `LOCALFORCE_${name}`;

/** A whole number of at least `min`, or a clear refusal (a typo must not become NaN milliseconds). */
const wholeNumber = (min: number) => (text: string): number => {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
  return n;
};

/** A yes/no environment variable: 1/true/yes or 0/false/no/empty (any case); anything else stops the start. */
function envFlag(name: string): boolean {
  const value = (process.env[name] ?? '').trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['', '0', 'false', 'no'].includes(value)) return false;
  throw new Error(`${name} must be 1, true, yes, 0, false or no, not ${JSON.stringify(process.env[name])}`);
}

program
  .command('serve')
  .description('start the server with a default org')
  .addOption(new Option('--host <host>', 'address to listen on').env(env('HOST')).default(DEFAULT_CONFIG.host))
  .addOption(new Option('--port <port>', 'port to listen on').env(env('PORT')).argParser(wholeNumber(0)).default(DEFAULT_CONFIG.port))
  .addOption(new Option('--data <dir>', 'directory of the SQLite database').env(env('DATA')).default(DEFAULT_CONFIG.dataDir))
  .addOption(new Option('--database <url>', 'a PostgreSQL URL (postgres://…) instead of SQLite: several processes may share it').env(env('DATABASE_URL')))
  .addOption(new Option('--database-pool <n>', 'PostgreSQL connections of the API side').env(env('DATABASE_POOL')).argParser(wholeNumber(2)).default(DEFAULT_CONFIG.databasePoolSize))
  // LOCALFORCE_MEMORY is read below, not through .env(): commander turns a flag on for any value, even 0 or false.
  .addOption(new Option('--memory', `throw-away storage, removed on exit (env: ${env('MEMORY')}=1|true)`))
  .addOption(new Option('--token <token>', 'fix the admin access token (for scripts and tests)').env(env('TOKEN')))
  .addOption(new Option('--username <username>', 'admin username').env(env('USERNAME')).default(DEFAULT_CONFIG.username))
  .addOption(new Option('--password <password>', 'admin password').env(env('PASSWORD')).default(DEFAULT_CONFIG.password))
  .addOption(new Option('--schema <file>', 'custom objects and fields for the default org (JSON or YAML)').env(env('SCHEMA')))
  .addOption(new Option('--seed <dir>', 'insert <Object>.csv files into the default org at start').env(env('SEED')))
  .addOption(new Option('--workers <n>', 'batch worker threads').env(env('WORKERS')).argParser(wholeNumber(1)).default(DEFAULT_CONFIG.workers))
  .addOption(new Option('--processing-delay <ms>', 'delay before a queued batch starts').env(env('PROCESSING_DELAY')).argParser(wholeNumber(0)).default(0))
  .addOption(new Option('--chunk-delay <ms>', 'pause after each 200-record chunk (slow batches on purpose)').env(env('CHUNK_DELAY')).argParser(wholeNumber(0)).default(0))
  .addOption(new Option('--lease <ms>', 'how long a batch stays with a worker that stopped renewing its lease (a dead process) before another takes it over')
    .env(env('LEASE')).argParser(wholeNumber(1000)).default(DEFAULT_CONFIG.leaseMs))
  .addOption(new Option('--max-result-file-bytes <n>', 'size at which a query result file rolls over to the next').env(env('MAX_RESULT_FILE_BYTES'))
    .argParser(wholeNumber(1024)).default(DEFAULT_CONFIG.maxResultFileBytes))
  .addOption(new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent').env(env('LOG_LEVEL')).default(DEFAULT_CONFIG.logLevel))
  .action(async (opts: Record<string, string | number | boolean | undefined>) => {
    const memory = !!opts.memory || envFlag(env('MEMORY'));
    const server = await startServer({
      host: String(opts.host),
      port: Number(opts.port),
      dataDir: String(opts.data),
      database: opts.database ? String(opts.database) : undefined,
      databasePoolSize: Number(opts.databasePool),
      memory,
      token: opts.token ? String(opts.token) : undefined,
      username: String(opts.username),
      password: String(opts.password),
      workers: Number(opts.workers),
      schemaFile: opts.schema ? String(opts.schema) : undefined,
      seedDir: opts.seed ? String(opts.seed) : undefined,
      processingDelayMs: Number(opts.processingDelay),
      chunkDelayMs: Number(opts.chunkDelay),
      maxResultFileBytes: Number(opts.maxResultFileBytes),
      leaseMs: Number(opts.lease),
      logLevel: String(opts.logLevel),
    });
    const { org, url } = server;
    process.stdout.write(
      [
        '',
        `localforce ${LOCALFORCE_VERSION} is listening on ${url}`,
        `  org id        ${org.orgId}`,
        `  username      ${org.username}`,
        `  password      ${org.password ?? '(not --password: the one set when this org was created)'}`,
        `  access token  ${org.token}`,
        ...(opts.seed ? [`  seed          ${server.seeded ? `loaded from ${String(opts.seed)}` : 'not loaded: the org already existed (seed data goes into a new org only)'}`] : []),
        `  data          ${server.databaseUrl ? redactDatabaseUrl(server.databaseUrl) : memory ? '(memory: removed on exit)' : server.dbFile}`,
        '',
        'Connect with jsforce:',
        `  new jsforce.Connection({ instanceUrl: '${url}', accessToken: '${org.token}', version: '62.0' })`,
        'or with curl:',
        `  curl -H 'X-SFDC-Session: ${org.token}' ${url}/services/async/62.0/job/<jobId>/batch`,
        '',
      ].join('\n') + '\n',
    );
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`localforce: ${err.message}\n`);
  process.exit(1);
});
