// Runs a Bulk 1.0 query batch: check the SOQL against the org's schema, compile it to one SQL statement, stream
// the rows into result files of bounded size (stored in 1 MB chunks), and complete the batch with its row count.
// With PK chunking the original batch is split into Id-range chunk batches instead (Bulk API Developer Guide,
// "PK Chunking").
import { composeQuery, parseQuery } from '@jetstreamapp/soql-parser-js';
import type { ClaimedBatch } from '../store/types.js';
import { checkSoql } from '../soql/check.js';
import { SoqlError } from '../soql/errors.js';
import type { CheckedQuery, Condition } from '../soql/model.js';
import { csvWriter, jsonWriter, NO_RECORDS, xmlWriter, type ResultWriter } from '../wire/query-results.js';
import { KEY_PREFIX } from '../org/ids.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { failBatch, type ProcessorOptions } from './batch-run.js';
import { BatchFailure, BatchFailures } from '../jobs/errors.js';

const CHUNK_BYTES = 1 << 20;

export async function processQueryBatch(claim: ClaimedBatch, o: ProcessorOptions): Promise<void> {
  const started = o.clock.now();
  const { job } = claim;
  const soql = claim.payload.toString('utf8').trim();
  const schema = await o.schemas.forOrg(job.orgId);
  let checked: CheckedQuery;
  try {
    checked = checkSoql(soql, schema, {
      surface: 'bulk',
      includeDeleted: job.operation === 'queryAll',
      now: o.clock.now(),
    });
  } catch (err) {
    if (!(err instanceof SoqlError)) throw err;
    await failBatch(claim, queryFailure(err.code, err.message), o, o.clock.now() - started);
    return;
  }
  // A query reads the job's object only; another FROM object fails the batch rather than returning its rows. Checked
  // before PK chunking splits a batch, so the original fails whole and no chunk is made.
  if (checked.object.name.toLowerCase() !== job.object.toLowerCase()) {
    const failure = BatchFailures.queryRootMismatch(checked.object.name, job.object);
    await failBatch(claim, failure, o, o.clock.now() - started);
    return;
  }
  if (claim.pkRole === 0 && job.pkChunking && pkChunkingApplies(checked)) {
    await splitIntoChunks(claim, soql, checked, o);
    return;
  }

  try {
    await runQuery(claim, checked, o, started);
  } catch (err) {
    if (err instanceof LeaseLost) return; // the batch is another worker's now
    if (isStoreUnavailable(err)) throw err; // the database went away: the worker takes the batch back and retries
    // A query that fails while it runs (SQLite refusing a value, say) fails its batch rather than being retried forever.
    await failBatch(claim, queryFailure('UNKNOWN_EXCEPTION', (err as Error).message), o, o.clock.now() - started);
  }
}

/** A query batch's failure: `InvalidBatch : Failed to process query: MALFORMED_QUERY: …` once stored. */
function queryFailure(code: string, message: string): BatchFailure {
  return new BatchFailure('InvalidBatch', `Failed to process query: ${code}: ${message}`);
}

/** Thrown when a store write finds the batch's lease gone: another worker owns the batch now, so this one stops. */
class LeaseLost extends Error {}

async function runQuery(
  claim: ClaimedBatch,
  checked: CheckedQuery,
  o: ProcessorOptions,
  started: number,
): Promise<void> {
  const { job } = claim;
  const mustOwn = (stillOurs: boolean) => {
    if (!stillOurs) throw new LeaseLost();
  };
  mustOwn(await o.work.clearQueryResults(claim));
  const compiled = o.compile(checked);
  const version = job.apiVersion.toFixed(1);
  const newWriter = (): ResultWriter =>
    job.contentType.endsWith('JSON')
      ? jsonWriter(compiled.layout, checked.object.name, version)
      : job.contentType.endsWith('XML')
        ? xmlWriter(compiled.layout, checked.object.name)
        : csvWriter(compiled.layout);

  let fileSeq = 0;
  let totalRows = 0;
  let file = await openFile();
  async function openFile() {
    const writer = newWriter();
    const f = {
      id: await o.ids.one(KEY_PREFIX.queryResult),
      writer,
      parts: [] as string[],
      pending: 0,
      bytes: 0,
      chunkSeq: 0,
      rows: 0,
    };
    push(f, writer.begin());
    return f;
  }
  function push(
    f: Awaited<ReturnType<typeof openFile>> | { parts: string[]; pending: number; bytes: number },
    text: string,
  ) {
    f.parts.push(text);
    f.pending += text.length; // characters: when to write a chunk, roughly
    f.bytes += Buffer.byteLength(text, 'utf8'); // bytes, exactly: the file size limit is in bytes
  }
  async function flush(f: Awaited<ReturnType<typeof openFile>>, force: boolean) {
    if (f.pending === 0 || (!force && f.pending < CHUNK_BYTES)) return;
    mustOwn(
      await o.work.appendResultChunk(
        claim,
        f.id,
        f.chunkSeq++,
        Buffer.from(f.parts.join(''), 'utf8'),
        o.leaseMs,
        o.clock.now(),
      ),
    );
    f.parts = [];
    f.pending = 0;
  }
  async function closeFile(f: Awaited<ReturnType<typeof openFile>>) {
    if (f.rows === 0 && job.contentType === 'CSV') {
      // Zero rows: the whole file is one line.
      f.parts = [NO_RECORDS];
      f.pending = NO_RECORDS.length;
    } else push(f, f.writer.end(f.rows === 0));
    await flush(f, true);
    mustOwn(await o.work.addQueryResult(claim, f.id, fileSeq++, f.rows));
  }

  for await (const page of o.work.streamRows(compiled.sql, compiled.params)) {
    for (const row of page) {
      if (file.rows > 0 && file.bytes >= o.maxResultFileBytes) {
        await closeFile(file);
        file = await openFile();
      }
      push(file, file.writer.row(row));
      file.rows++;
      totalRows++;
      if (file.pending >= CHUNK_BYTES) await flush(file, false);
    }
  }
  await closeFile(file);
  await o.work.completeQueryBatch(claim, totalRows, o.clock.now() - started, o.clock.now());
}

/**
 * PK chunking is off for queries with ORDER BY or LIMIT, filtering on a field whose name contains "id", or with a
 * subquery (Bulk API guide, "PK Chunking": it works only for queries without subqueries).
 */
function pkChunkingApplies(q: CheckedQuery): boolean {
  return q.orderBy.length === 0 && q.limit === undefined && !q.filtersOnIdField && !(q.where && hasSubquery(q.where));
}

function hasSubquery(c: Condition): boolean {
  switch (c.kind) {
    case 'and':
    case 'or':
      return c.items.some(hasSubquery);
    case 'not':
      return hasSubquery(c.item);
    case 'semijoin':
      return true;
    default:
      return false;
  }
}

/** The chunk's SOQL: the original with the Id range appended (the original condition kept whole in parentheses). */
function chunkSoql(soql: string, q: CheckedQuery, lo: string, hi: string | undefined): string {
  const range = `Id >= '${lo.slice(0, 15)}'${hi ? ` AND Id < '${hi.slice(0, 15)}'` : ''}`;
  if (!q.where) return `${soql} WHERE ${range}`;
  if (q.where.kind !== 'or') return `${soql} AND ${range}`;
  const composed = composeQuery(parseQuery(soql));
  const at = topLevelWhere(composed);
  return `${composed.slice(0, at)} WHERE (${composed.slice(at + 7)}) AND ${range}`;
}

/** Where the query's own ` WHERE ` starts: outside string literals and outside semi-join subqueries. */
function topLevelWhere(soql: string): number {
  let depth = 0;
  for (let i = 0; i < soql.length; i++) {
    const c = soql[i];
    if (c === "'") {
      for (i++; i < soql.length && soql[i] !== "'"; i++) if (soql[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === ' ' && soql.slice(i, i + 7).toUpperCase() === ' WHERE ') return i;
  }
  throw new Error('PK chunking: the query has no WHERE clause');
}

/**
 * The original batch of a split past the daily allocation fails, and no chunk batch is made. Salesforce's text for
 * this is not documented: the words are the allocation's own refusal (`DailyBulkApiBatches Limit exceeded`), with
 * the reason (docs/compatibility.md, "PK chunking").
 */
const pkChunkingOverQuota = (limit: number) =>
  new BatchFailure(
    'InvalidBatch',
    `PK chunking would exceed the daily batch allocation: DailyBulkApiBatches Limit exceeded: ${limit}`,
  );

async function splitIntoChunks(claim: ClaimedBatch, soql: string, q: CheckedQuery, o: ProcessorOptions): Promise<void> {
  const started = o.clock.now();
  const { chunkSize } = claim.job.pkChunking!;
  const startRow = claim.job.pkChunking!.startRow; // an 18-character id (checked when the job was created)
  // Each chunk batch counts against the org's daily batch allocation, as Salesforce's do: a split that would pass it
  // is refused before any chunk is made (chunkSize=10 once made 27,002 batches and used the whole allocation).
  const allowance = await o.batchAllowance?.(claim.job.orgId, started);
  const boundaries: string[] = [];
  let i = 0;
  // Deleted records count toward the ranges, as Salesforce's do.
  for await (const page of o.work.streamIds(q.object.table, startRow)) {
    for (const id of page) {
      if (i % chunkSize === 0) boundaries.push(id);
      i++;
    }
    if (allowance && boundaries.length > allowance.remaining) {
      await failBatch(claim, pkChunkingOverQuota(allowance.limit), o, o.clock.now() - started);
      return;
    }
  }
  if (boundaries.length === 0) boundaries.push(startRow ?? `${q.object.keyPrefix}000000000000`);
  const ids = await o.ids.next(KEY_PREFIX.batch, boundaries.length);
  const chunks = boundaries.map((lo, k) => ({ id: ids[k], soql: chunkSoql(soql, q, lo, boundaries[k + 1]) }));
  await o.work.splitIntoChunks(claim, chunks, o.clock.now());
}
