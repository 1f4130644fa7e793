// Every `localforce serve` option, declared once: its flag, environment variable, how its value is read, its default
// (DEFAULT_CONFIG's value for the field), its help text and the ServerConfig field it sets. src/cli/main.ts builds the
// command line by walking this table, and test/unit/config.test.ts checks the README's options table against it.
import { DEFAULT_CONFIG, type ServerConfig } from './server-config.js';

/** The ServerConfig fields that hold values of type T. */
type FieldsOf<T> = {
  [K in keyof ServerConfig]-?: NonNullable<ServerConfig[K]> extends T ? K : never;
}[keyof ServerConfig];

interface OptionBase {
  /** The long flag without its dashes: `database-pool`. */
  flag: string;
  /** The environment variable read when the flag is not given. */
  env: string;
  /** The --help text (the README's description may say more). */
  help: string;
  /** What the README says when the field has no default value: `none`, `off`, … */
  unset?: string;
}

/** A value on the command line; `arg` names it in --help (`<dir>`) and, in capitals, in the README (`DIR`). */
interface Valued {
  arg: string;
}

export type ServeOption = OptionBase &
  (
    | (Valued & { type: 'string'; key: FieldsOf<string> })
    // Passed on as given, like a string: the store says what is wrong with a URL it cannot use when it connects.
    | (Valued & { type: 'url'; key: FieldsOf<string> })
    // A typo must stop the start rather than become NaN milliseconds.
    | (Valued & { type: 'wholeNumber'; min: number; key: FieldsOf<number> })
    // Its variable is read strictly (envFlag): 0 or false must not turn it on, as a bare `.env()` would.
    | { type: 'flag'; key: FieldsOf<boolean> }
  );

const TABLE = [
  { flag: 'host', arg: 'host', env: 'LOCALFORCE_HOST', type: 'string', key: 'host', help: 'address to listen on' },
  {
    flag: 'port',
    arg: 'port',
    env: 'LOCALFORCE_PORT',
    type: 'wholeNumber',
    min: 0,
    key: 'port',
    help: 'port to listen on',
  },
  {
    flag: 'data',
    arg: 'dir',
    env: 'LOCALFORCE_DATA',
    type: 'string',
    key: 'dataDir',
    help: 'directory of the SQLite database',
  },
  {
    flag: 'database',
    arg: 'url',
    env: 'LOCALFORCE_DATABASE_URL',
    type: 'url',
    key: 'database',
    unset: 'none',
    help: 'a PostgreSQL URL (postgres://…) instead of SQLite: several processes may share it',
  },
  {
    flag: 'database-pool',
    arg: 'n',
    env: 'LOCALFORCE_DATABASE_POOL',
    type: 'wholeNumber',
    min: 2,
    key: 'databasePoolSize',
    help: 'PostgreSQL connections of the API side',
  },
  {
    flag: 'memory',
    env: 'LOCALFORCE_MEMORY',
    type: 'flag',
    key: 'memory',
    unset: 'off',
    help: 'throw-away storage, removed on exit',
  },
  {
    flag: 'token',
    arg: 'token',
    env: 'LOCALFORCE_TOKEN',
    type: 'string',
    key: 'token',
    unset: 'a new one per start',
    help: "fix the default org admin user's API access token (for scripts and tests); not --admin-token",
  },
  {
    flag: 'admin-token',
    arg: 'token',
    env: 'LOCALFORCE_ADMIN_TOKEN',
    type: 'string',
    key: 'adminToken',
    unset: 'a new one per start',
    help: 'the Bearer token /_localforce requires (required with a non-loopback --host)',
  },
  {
    flag: 'allowed-hosts',
    arg: 'hosts',
    env: 'LOCALFORCE_ALLOWED_HOSTS',
    type: 'string',
    key: 'allowedHosts',
    unset: 'none',
    help: 'more Host names /_localforce answers to, comma-separated (loopback names and --host always)',
  },
  {
    flag: 'session-timeout',
    arg: 'minutes',
    env: 'LOCALFORCE_SESSION_TIMEOUT',
    type: 'wholeNumber',
    min: 1,
    key: 'sessionTimeoutMinutes',
    help: 'a session unused this long is refused and must log in again',
  },
  {
    flag: 'username',
    arg: 'username',
    env: 'LOCALFORCE_USERNAME',
    type: 'string',
    key: 'username',
    help: 'admin username',
  },
  {
    flag: 'password',
    arg: 'password',
    env: 'LOCALFORCE_PASSWORD',
    type: 'string',
    key: 'password',
    help: 'admin password',
  },
  {
    flag: 'schema',
    arg: 'file',
    env: 'LOCALFORCE_SCHEMA',
    type: 'string',
    key: 'schemaFile',
    unset: 'none',
    help: 'custom objects and fields for the default org (JSON or YAML)',
  },
  {
    flag: 'seed',
    arg: 'dir',
    env: 'LOCALFORCE_SEED',
    type: 'string',
    key: 'seedDir',
    unset: 'none',
    help: 'insert <Object>.csv files into the default org at start',
  },
  {
    flag: 'workers',
    arg: 'n',
    env: 'LOCALFORCE_WORKERS',
    type: 'wholeNumber',
    min: 1,
    key: 'workers',
    help: 'batch worker threads',
  },
  {
    flag: 'processing-delay',
    arg: 'ms',
    env: 'LOCALFORCE_PROCESSING_DELAY',
    type: 'wholeNumber',
    min: 0,
    key: 'processingDelayMs',
    help: 'delay before a queued batch starts',
  },
  {
    flag: 'chunk-delay',
    arg: 'ms',
    env: 'LOCALFORCE_CHUNK_DELAY',
    type: 'wholeNumber',
    min: 0,
    key: 'chunkDelayMs',
    help: 'pause after each 200-record chunk (slow batches on purpose)',
  },
  {
    flag: 'lease',
    arg: 'ms',
    env: 'LOCALFORCE_LEASE',
    type: 'wholeNumber',
    min: 1000,
    key: 'leaseMs',
    help:
      'how long a batch stays with a worker that stopped renewing its lease (a dead process) ' +
      'before another takes it over',
  },
  {
    flag: 'max-result-file-bytes',
    arg: 'n',
    env: 'LOCALFORCE_MAX_RESULT_FILE_BYTES',
    type: 'wholeNumber',
    min: 1024,
    key: 'maxResultFileBytes',
    help: 'size at which a query result file rolls over to the next',
  },
  {
    flag: 'reset-limits',
    env: 'LOCALFORCE_RESET_LIMITS',
    type: 'flag',
    key: 'resetLimits',
    unset: 'off',
    help: 'daily allocations (DailyBulkApiBatches) count only batches created after this start',
  },
  {
    flag: 'purge-after-days',
    arg: 'n',
    env: 'LOCALFORCE_PURGE_AFTER_DAYS',
    type: 'wholeNumber',
    min: 1,
    key: 'purgeAfterDays',
    help: 'days after which ended jobs are deleted with their batches, payloads and results',
  },
  {
    flag: 'log-level',
    arg: 'level',
    env: 'LOCALFORCE_LOG_LEVEL',
    type: 'string',
    key: 'logLevel',
    help: 'fatal, error, warn, info, debug, trace or silent',
  },
] as const satisfies readonly ServeOption[];

/** The options of `localforce serve`, in the order --help and the README list them. */
export const SERVE_OPTIONS: readonly ServeOption[] = TABLE;

/**
 * The ServerConfig fields no `serve` option sets, and why. They are kept out of the table (rather than marked in it)
 * so that every row of the table is an option a user can give; only startServer's callers (tests, benchmarks) set
 * these. The `satisfies` makes a new ServerConfig field fail to compile until it is either an option or listed here.
 */
export const NOT_OPTIONS = {
  orgName: 'the name a start gives the default org it creates: a label no client depends on',
  minVersion: 'the oldest API version served: follows Salesforce, not the user',
  maxVersion: 'the newest API version served: follows Salesforce, not the user',
  pod: "the instance's two characters in every id: fixed, so ids keep one shape across starts and processes",
  pollMs: 'how often an idle worker looks for work: tests shorten it; a queued batch wakes the workers anyway',
  requestTimeoutMs: 'how long a request may take to arrive: 10 minutes fits slow uploads; tests shorten it',
} as const satisfies Record<Exclude<keyof ServerConfig, (typeof TABLE)[number]['key']>, string>;

/** A value that does not fit its option: the message says what was expected. */
export class OptionValueError extends Error {}

/** A whole number of at least `min`, or an OptionValueError. */
export function parseWholeNumber(text: string, min: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new OptionValueError(`expected a whole number of at least ${min}`);
  }
  return n;
}

/** A yes/no environment variable: 1/true/yes or 0/false/no/empty (any case); anything else stops the start. */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['', '0', 'false', 'no'].includes(value)) return false;
  throw new Error(`${name} must be 1, true, yes, 0, false or no, not ${JSON.stringify(env[name])}`);
}

/** The option's default value, shown by --help and used when neither the flag nor its variable is given. */
export function defaultOf(option: ServeOption): string | number | undefined {
  return option.type === 'flag' ? undefined : DEFAULT_CONFIG[option.key];
}

/** The --help text: a flag's variable is read by envFlag, not by the parser, so the text names it and its values. */
export function helpOf(option: ServeOption): string {
  return option.type === 'flag' ? `${option.help} (env: ${option.env}=1|true)` : option.help;
}

/**
 * The ServerConfig fields the command line sets. `parsed` answers what the command-line parser found for an option
 * (the flag, its variable or its default), undefined when none; a flag's variable is read from `env` here.
 */
export function configFromOptions(
  parsed: (option: ServeOption) => unknown,
  env: NodeJS.ProcessEnv = process.env,
): Partial<ServerConfig> {
  const config: Partial<ServerConfig> = {};
  for (const option of SERVE_OPTIONS) {
    const value = parsed(option);
    switch (option.type) {
      case 'flag':
        config[option.key] = value === true || envFlag(option.env, env);
        break;
      case 'wholeNumber':
        if (typeof value === 'number') config[option.key] = value;
        break;
      case 'string':
      case 'url':
        // An empty value of an option without a default (LOCALFORCE_TOKEN=) counts as not given.
        if (typeof value === 'string' && (value !== '' || defaultOf(option) !== undefined)) config[option.key] = value;
        break;
      default:
        return unreachable(option);
    }
  }
  return config;
}

function unreachable(option: never): never {
  throw new Error(`unknown option type: ${JSON.stringify(option)}`);
}
