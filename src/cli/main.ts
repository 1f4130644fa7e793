#!/usr/bin/env node
// The command line. `localforce serve` is what `npm start` runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { startServer } from '../server/server.js';
import { LOCALFORCE_VERSION } from '../config/server-config.js';
import {
  configFromOptions,
  defaultOf,
  helpOf,
  OptionValueError,
  parseWholeNumber,
  SERVE_OPTIONS,
  type ServeOption,
} from '../config/options.js';
import { redactDatabaseUrl } from '../store/database-url.js';

const program = new Command('localforce')
  .description("A local server that speaks Salesforce's Bulk API")
  .version(LOCALFORCE_VERSION);

/** Commander words a refusal its own way ("option '--port <port>' argument 'x' is invalid. …") for this error only. */
function wholeNumber(min: number): (text: string) => number {
  return (text) => {
    try {
      return parseWholeNumber(text, min);
    } catch (err) {
      throw err instanceof OptionValueError ? new InvalidArgumentError(err.message) : err;
    }
  };
}

/** The commander option for a row of the table (src/config/options.ts). */
function commanderOption(option: ServeOption): Option {
  // No .env() for a flag: commander turns one on for any value, even 0; configFromOptions reads it strictly.
  if (option.type === 'flag') return new Option(`--${option.flag}`, helpOf(option));
  const built = new Option(`--${option.flag} <${option.arg}>`, helpOf(option)).env(option.env);
  if (option.type === 'wholeNumber') built.argParser(wholeNumber(option.min));
  const value = defaultOf(option);
  return value === undefined ? built : built.default(value);
}

/** Where the generated admin token was also written: the data directory, or nowhere (memory, PostgreSQL). */
function adminTokenWhere(server: { adminTokenFile?: string }): string {
  return server.adminTokenFile ? ` (also in ${server.adminTokenFile}, mode 0600)` : '';
}

const serve = program.command('serve').description('start the server with a default org');
const attributes = new Map<ServeOption, string>();
for (const option of SERVE_OPTIONS) {
  const built = commanderOption(option);
  serve.addOption(built);
  attributes.set(option, built.attributeName());
}

serve.action(async (opts: Record<string, unknown>) => {
  const config = configFromOptions((option) => {
    const attribute = attributes.get(option);
    return attribute === undefined ? undefined : opts[attribute];
  });
  const memory = config.memory ?? false;
  const server = await startServer(config);
  const { org, url } = server;
  const seed = server.seeded
    ? `loaded from ${config.seedDir}`
    : 'not loaded: the org already existed (seed data goes into a new org only)';
  process.stdout.write(
    `${[
      '',
      `localforce ${LOCALFORCE_VERSION} is listening on ${url}`,
      `  org id        ${org.orgId}`,
      `  username      ${org.username}`,
      `  password      ${org.password ?? '(not --password: the one set when this org was created)'}`,
      `  access token  ${org.token}`,
      `  admin token   ${config.adminToken ? '(--admin-token)' : server.adminToken}${adminTokenWhere(server)}`,
      ...(config.seedDir ? [`  seed          ${seed}`] : []),
      `  data          ${server.databaseUrl ? redactDatabaseUrl(server.databaseUrl) : memory ? '(memory: removed on exit)' : server.dbFile}`,
      '',
      'Connect with jsforce:',
      `  new jsforce.Connection({ instanceUrl: '${url}', accessToken: '${org.token}', version: '62.0' })`,
      'or with curl:',
      `  curl -H 'X-SFDC-Session: ${org.token}' ${url}/services/async/62.0/job/<jobId>/batch`,
      'The control plane (/_localforce) takes the admin token:',
      `  curl -H 'Authorization: Bearer <admin token>' ${url}/_localforce/orgs`,
      '',
    ].join('\n')}\n`,
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
