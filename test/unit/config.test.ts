// The `serve` options are declared once (src/config/options.ts): the README's options table must list each of them
// once, with its flag, variable and default, and nothing else; the command line built from the table must offer and
// check them as declared; and every ServerConfig field is either an option or listed as not one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  configFromOptions,
  defaultOf,
  envFlag,
  NOT_OPTIONS,
  parseWholeNumber,
  SERVE_OPTIONS,
  type ServeOption,
} from '../../src/config/options.js';
import { DEFAULT_CONFIG } from '../../src/config/server-config.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SECTION = '## `localforce serve`';

interface ReadmeRow {
  line: string;
  flag: string;
  /** The value's name after the flag (`DIR`), if any. */
  arg?: string;
  environment: string;
  defaultText: string;
  description: string;
}

/** The rows of the README's options table: the lines of its section that start with a flag. */
function readmeRows(): ReadmeRow[] {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `the README has a "${SECTION}" section`);
  const rest = text.slice(start + SECTION.length + 2);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => {
      const [flagCell, environment, defaultText, ...description] = line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      const m = /^`--([a-z-]+)(?: ([A-Z]+))?`$/.exec(flagCell);
      assert.ok(m, `the first cell is \`--flag\` or \`--flag VALUE\`: ${line}`);
      return { line, flag: m[1], arg: m[2], environment, defaultText, description: description.join('|') };
    });
}

/** How the README writes the option's default: the value in backticks, or the words for an option without one. */
function expectedDefault(option: ServeOption): string | undefined {
  const value = defaultOf(option);
  return value === undefined ? option.unset : `\`${value}\``;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  // Without the machine's LOCALFORCE_* variables, so only those given here count.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LOCALFORCE_')));
  try {
    const run = promisify(execFile);
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...clean, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as CliRun;
    return { code, stdout, stderr };
  }
}

describe('the serve options table', () => {
  it('is listed in the README once per option, with its flag, variable and default, and nothing else', () => {
    const rows = readmeRows();
    const byFlag = new Map(SERVE_OPTIONS.map((o) => [o.flag, o]));
    for (const row of rows) assert.ok(byFlag.has(row.flag), `the README names --${row.flag}, which is no option`);
    assert.deepEqual(
      rows.map((r) => r.flag),
      SERVE_OPTIONS.map((o) => o.flag),
      'one row per option, in table order',
    );
    for (const row of rows) {
      const option = byFlag.get(row.flag);
      assert.ok(option);
      assert.equal(row.arg, option.type === 'flag' ? undefined : option.arg.toUpperCase(), row.line);
      assert.ok(row.environment.startsWith(`\`${option.env}\``), `variable ${option.env}: ${row.line}`);
      const expected = expectedDefault(option);
      assert.ok(expected, `--${option.flag} has a default or says what happens without one (unset)`);
      if (expected.startsWith('`')) assert.ok(row.defaultText.startsWith(expected), `default ${expected}: ${row.line}`);
      else assert.equal(row.defaultText, expected, row.line);
      assert.notEqual(row.description, '', row.line);
    }
  });

  it('names each flag and variable once', () => {
    const flags = SERVE_OPTIONS.map((o) => o.flag);
    const envs = SERVE_OPTIONS.map((o) => o.env);
    assert.equal(new Set(flags).size, flags.length);
    assert.equal(new Set(envs).size, envs.length);
    for (const env of envs) assert.match(env, /^LOCALFORCE_[A-Z_]+$/);
  });

  it('covers every ServerConfig field: each is set by one option or listed as not an option', () => {
    const optionKeys = SERVE_OPTIONS.map((o) => o.key);
    assert.equal(new Set(optionKeys).size, optionKeys.length, 'no field is set by two options');
    const notOptions = Object.keys(NOT_OPTIONS);
    assert.deepEqual(
      optionKeys.filter((k) => notOptions.includes(k)),
      [],
    );
    for (const key of Object.keys(DEFAULT_CONFIG)) {
      assert.ok([...optionKeys, ...notOptions].includes(key), `${key} is an option or in NOT_OPTIONS`);
    }
  });
});

describe('option values', () => {
  it('takes whole numbers of at least the minimum, and refuses anything else', () => {
    assert.equal(parseWholeNumber('8484', 0), 8484);
    assert.equal(parseWholeNumber(' 1000 ', 1000), 1000);
    for (const text of ['', 'abc', '1.5', '-1', '1e3', '0x10', '99999999999999999999']) {
      assert.throws(() => parseWholeNumber(text, 0), /expected a whole number of at least 0/, JSON.stringify(text));
    }
    assert.throws(() => parseWholeNumber('999', 1000), /expected a whole number of at least 1000/);
  });

  it('reads a yes/no variable strictly', () => {
    for (const value of ['1', 'true', 'YES', ' yes ']) assert.equal(envFlag('V', { V: value }), true, value);
    for (const value of [undefined, '', '0', 'False', 'no']) assert.equal(envFlag('V', { V: value }), false, value);
    assert.throws(() => envFlag('V', { V: 'on' }), /^Error: V must be 1, true, yes, 0, false or no, not "on"$/);
  });

  it('turns what the parser found into ServerConfig fields', () => {
    const found: Record<string, unknown> = { host: '', port: 0, token: '', database: 'postgres://x', seed: undefined };
    const config = configFromOptions((o) => found[o.flag], { LOCALFORCE_MEMORY: 'true' });
    // An empty value of an option with a default is kept; of one without, it counts as not given.
    assert.deepEqual(config, { host: '', port: 0, database: 'postgres://x', memory: true, resetLimits: false });
    assert.equal(configFromOptions(() => undefined, { LOCALFORCE_RESET_LIMITS: 'yes' }).resetLimits, true);
    assert.deepEqual(
      configFromOptions((o) => (o.flag === 'memory' ? true : undefined), { LOCALFORCE_MEMORY: 'x' }),
      {
        memory: true,
        resetLimits: false,
      },
    );
    assert.throws(() => configFromOptions(() => undefined, { LOCALFORCE_MEMORY: 'x' }), /LOCALFORCE_MEMORY must be/);
  });
});

describe('localforce serve, built from the table', () => {
  it('--help lists every option with its variable and default', { timeout: 30_000 }, async () => {
    const { code, stdout } = await cli(['serve', '--help']);
    assert.equal(code, 0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const option of SERVE_OPTIONS) {
      const usage = option.type === 'flag' ? `--${option.flag} ` : `--${option.flag} <${option.arg}> `;
      assert.ok(help.includes(usage), `${usage} in:\n${stdout}`);
      const env = option.type === 'flag' ? `env: ${option.env}=1|true` : `env: ${option.env})`;
      assert.ok(help.includes(env), env);
      const value = defaultOf(option);
      const shown = `default: ${JSON.stringify(value)}, env: ${option.env}`;
      if (value !== undefined) assert.ok(help.includes(shown), shown);
    }
  });

  it('refuses a value below its minimum, from a flag or a variable, before starting', { timeout: 30_000 }, async () => {
    const flag = await cli(['serve', '--lease', '999']);
    assert.equal(flag.code, 1);
    const expected = 'expected a whole number of at least';
    assert.equal(flag.stderr, `error: option '--lease <ms>' argument '999' is invalid. ${expected} 1000\n`);
    const variable = await cli(['serve'], { LOCALFORCE_DATABASE_POOL: '1' });
    assert.equal(variable.code, 1);
    const pool = "error: option '--database-pool <n>' value '1' from env 'LOCALFORCE_DATABASE_POOL' is invalid.";
    assert.equal(variable.stderr, `${pool} ${expected} 2\n`);
    const memory = await cli(['serve'], { LOCALFORCE_MEMORY: 'maybe' });
    assert.equal(memory.code, 1);
    assert.equal(memory.stderr, 'localforce: LOCALFORCE_MEMORY must be 1, true, yes, 0, false or no, not "maybe"\n');
  });
});
