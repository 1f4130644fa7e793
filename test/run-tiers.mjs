#!/usr/bin/env node
// `npm test` after the build: the test suite in two tiers, each with `node --test --test-concurrency=1`.
//   1. SQLite: every test under dist/test/, LOCALFORCE_TEST_BACKEND=sqlite.
//   2. PostgreSQL: dist/test/integration/ and dist/test/clients/ (and dist/test/unit/soql-postgres.test.js when it
//      exists), LOCALFORCE_TEST_BACKEND=postgres: each test server gets a database of its own, made and dropped on
//      LOCALFORCE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
// PostgreSQL unreachable: with LOCALFORCE_REQUIRE_POSTGRES=1 (CI), the run fails at once with the reason; otherwise
// the PostgreSQL tier is skipped with the reason printed, and the exit status is the SQLite tier's.
// Options: --sqlite-only / --postgres-only run one tier (`npm test -- --postgres-only`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => join(root, 'dist', 'test', p);
const args = process.argv.slice(2);
for (const a of args)
  if (a !== '--sqlite-only' && a !== '--postgres-only') fail(`unknown option ${a} (--sqlite-only, --postgres-only)`);
const runSqlite = !args.includes('--postgres-only');
const runPostgres = !args.includes('--sqlite-only');

function fail(message) {
  process.stderr.write(`run-tiers: ${message}\n`);
  process.exit(1);
}

/**
 * undefined when PostgreSQL answers on the admin URL, else why not: the gate the tests themselves use
 * (test/helpers/postgres.ts, built into dist/ before this runs). With LOCALFORCE_REQUIRE_POSTGRES=1 it throws instead,
 * and the run fails at once with the reason.
 */
async function postgresUnreachable() {
  const { postgresUnavailable } = await import(pathToFileURL(dist('helpers/postgres.js')).href);
  try {
    return await postgresUnavailable();
  } catch (err) {
    fail(`PostgreSQL tier failed: ${err.message}`);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'localforce-tiers-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs one tier. The reporter on stdout is node's default (spec on a terminal, TAP otherwise); a TAP copy goes to a
 * file for the counts of the summary.
 */
function runTier(name, backend, paths) {
  const tap = join(scratch, `${backend}.tap`);
  const reporter = process.stdout.isTTY ? 'spec' : 'tap';
  process.stdout.write(
    `\n=== ${name} tier: LOCALFORCE_TEST_BACKEND=${backend} node --test --test-concurrency=1 ${paths.map((p) => p.slice(root.length)).join(' ')}\n`,
  );
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        `--test-reporter=${reporter}`,
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...paths,
      ],
      {
        cwd: root,
        env: { ...process.env, LOCALFORCE_TEST_BACKEND: backend },
        stdio: 'inherit',
      },
    );
    child.on('exit', (code, signal) => {
      const counts = { pass: 0, fail: 0, skipped: 0, cancelled: 0 };
      try {
        const text = readFileSync(tap, 'utf8');
        for (const key of Object.keys(counts)) {
          const m = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
          if (m) counts[key] = Number(m[1]);
        }
      } catch {
        /* no TAP file: the counts stay 0, the status says it failed */
      }
      resolve({ name, status: code ?? 1, signal, ...counts });
    });
  });
}

const results = [];
let skipReason;
let exitCode = 0;
let unreachable;
if (runPostgres) {
  // Checked first so that CI fails at once rather than after the SQLite tier.
  unreachable = await postgresUnreachable();
}
if (runSqlite) results.push(await runTier('SQLite', 'sqlite', [dist('')]));
if (runPostgres) {
  if (unreachable) unreachable = await postgresUnreachable(); // it may have come up meanwhile
  if (unreachable) skipReason = `${unreachable}; set LOCALFORCE_REQUIRE_POSTGRES=1 to make this an error`;
  else {
    const paths = [dist('integration/'), dist('clients/')];
    if (existsSync(dist('unit/soql-postgres.test.js'))) paths.push(dist('unit/soql-postgres.test.js'));
    results.push(await runTier('PostgreSQL', 'postgres', paths));
  }
}

process.stdout.write('\n');
for (const r of results) {
  const outcome = r.status === 0 ? 'passed' : r.signal ? `killed by ${r.signal}` : `failed (exit ${r.status})`;
  process.stdout.write(
    `${r.name} tier ${outcome}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped, ${r.cancelled} cancelled\n`,
  );
  if (r.status !== 0) exitCode = 1;
}
if (skipReason) process.stdout.write(`PostgreSQL tier skipped: ${skipReason}\n`);
const total = (key) => results.reduce((n, r) => n + r[key], 0);
if (results.length)
  process.stdout.write(
    `tests: ${total('pass')} passed, ${total('fail') + total('cancelled')} failed, ${total('skipped')} skipped\n`,
  );
process.exit(exitCode);
