// Seed data: CSV files loaded into an org through the ordinary Bulk path (a job, a batch, the workers), so seeds
// obey every rule a client's load does. Used by `localforce serve --seed DIR` and the control plane.
import { performance } from 'node:perf_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkService } from '../jobs/service.js';
import type { RecordResult } from '../jobs/model.js';
import type { SchemaService } from '../org/schema-service.js';
import type { BulkStore, Session } from '../store/types.js';
import { parseCsv } from '../wire/csv.js';
import { DomainError } from '../errors/domain.js';

/** A seed that could not be loaded; the control plane answers 400 and the CLI prints the reason. */
export class SeedError extends DomainError {
  constructor(reason: string) {
    super({ kind: 'seedFailed', reason });
  }
}

export interface SeedOutcome {
  object: string;
  jobId: string;
  results: RecordResult[];
}

export class SeedService {
  constructor(
    private readonly bulk: BulkService,
    private readonly store: BulkStore,
    private readonly schemas: SchemaService,
    private readonly apiVersion: number,
  ) {}

  /** Inserts the CSV's rows as the given user and waits for the batch; one result per row. */
  async load(session: Session, object: string, csv: Buffer, timeoutMs = 120_000): Promise<SeedOutcome> {
    const job = await this.bulk.createJob(session, this.apiVersion, {
      operation: 'insert',
      object,
      contentType: 'CSV',
    });
    const batch = await this.bulk.addBatch(session, job.id, csv, 'text/csv');
    await this.bulk.updateJob(session, job.id, { state: 'Closed' });
    // A real wait for a real worker: elapsed process time, not the org's clock, which tests may move.
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const current = await this.store.getBatch(job.id, batch.id);
      if (current?.state === 'Completed') break;
      if (current?.state === 'Failed') throw new SeedError(`${object}: ${current.stateMessage ?? 'batch failed'}`);
      if (performance.now() > deadline) throw new SeedError(`${object}: the seed batch did not finish in time`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { object: job.object, jobId: job.id, results: await this.store.getBatchResults(batch.id) };
  }

  /**
   * Loads every `<Object>.csv` of a folder, parents before children (an object whose relationship columns or lookup
   * fields point at another seeded object is loaded after it). Any failed row stops the seed with its error.
   */
  async loadDirectory(session: Session, dir: string): Promise<SeedOutcome[]> {
    const schema = await this.schemas.forOrg(session.orgId);
    const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv'));
    const entries = files.map((file) => {
      const name = file.replace(/\.csv$/i, '');
      const object = schema.object(name);
      if (!object) throw new SeedError(`${file}: no object named ${name}`);
      const body = withoutBom(readFileSync(join(dir, file)));
      const header = parseCsv(body.toString('utf8').split(/\r?\n/, 1)[0] ?? '')[0] ?? [];
      const parents = new Set<string>();
      for (const column of header) {
        const rel = /^(?:\w+:)?(\w+)\./.exec(column.trim());
        const f = rel ? object.relationship(rel[1]) : object.field(column.trim());
        for (const target of f?.type === 'reference' ? (f.referenceTo ?? []) : [])
          if (target !== object.name) parents.add(target.toLowerCase());
      }
      return { name: object.name, body, parents };
    });
    const ordered: typeof entries = [];
    const pending = [...entries];
    while (pending.length) {
      const names = new Set(pending.map((e) => e.name.toLowerCase()));
      const ready = pending.filter((e) => ![...e.parents].some((p) => names.has(p)));
      if (!ready.length)
        throw new SeedError(`Seed files reference each other in a cycle: ${pending.map((e) => e.name).join(', ')}`);
      for (const e of ready) {
        ordered.push(e);
        pending.splice(pending.indexOf(e), 1);
      }
    }
    const outcomes: SeedOutcome[] = [];
    for (const e of ordered) {
      const outcome = await this.load(session, e.name, e.body);
      const failed = outcome.results.findIndex((r) => !r.success);
      if (failed >= 0) {
        const err = outcome.results[failed].errors[0];
        throw new SeedError(`${e.name}.csv row ${failed + 2}: ${err?.statusCode}: ${err?.message}`);
      }
      outcomes.push(outcome);
    }
    return outcomes;
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A seed file saved by a spreadsheet often starts with a UTF-8 byte-order mark. A Bulk batch keeps it (its first
 * header then fails, as the org's does), but a seed file is localforce's own input read from disk, so the mark goes.
 */
function withoutBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
}
