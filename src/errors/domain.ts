// Errors in domain terms. Domain, engine and org code throw a DomainError that says *what* went wrong (an unknown
// job, a payload over the limit) with the facts a surface needs; each surface (api/*) decides *how* to say it on its
// wire: Bulk 1.0's exceptionCode and text, a REST error array, an OAuth error, a SOAP fault, the admin plane's JSON.
// The kinds form one closed union, so a surface's mapping is checked for completeness by the compiler.
//
// Where Salesforce's text *is* the fact (why a JobInfo is invalid, why a batch's content was refused), the domain
// error carries that text as `reason` and the surfaces show it as is; elsewhere the surface owns the wording.

/** What went wrong, and the details each kind needs to be told on a wire. */
export type DomainErrorDetail =
  // Request bodies (server/body.ts, and BulkService's character limit).
  | { kind: 'payloadTooLarge'; limit: number }
  | { kind: 'badEncoding'; encoding: string; problem: 'unsupported' | 'corrupt' }
  // Jobs and batches (jobs/service.ts).
  | { kind: 'unknownJob'; jobId: string }
  | { kind: 'unknownBatch'; batchId: string }
  | { kind: 'unknownResult'; resultId: string }
  | { kind: 'batchNotComplete'; batchId: string; state: string }
  | { kind: 'invalidJob'; reason: string }
  | { kind: 'invalidJobState'; reason: string }
  /** An object the org has but the Bulk API refuses (none of localforce's objects today). */
  /** An object the org does not have. */
  | { kind: 'unknownObject'; object: string }
  /** An org-wide allowance is used up; DailyBulkApiBatches: batches created in a rolling 24 hours. */
  | { kind: 'quotaExceeded'; quota: 'DailyBulkApiBatches'; limit: number }
  | { kind: 'emptyBatch' }
  | { kind: 'featureNotEnabled'; reason: string }
  /** A batch's payload cannot be processed (engine/, wire/records.ts): the batch fails with this reason. */
  | { kind: 'invalidBatchContent'; reason: string }
  // The org's set-up (org/, engine/seed.ts), reached through the admin plane and the CLI.
  | { kind: 'invalidSchema'; reason: string }
  | { kind: 'seedFailed'; reason: string }
  | { kind: 'usernameTaken'; username: string };

export type DomainErrorKind = DomainErrorDetail['kind'];

/** The detail of one kind, e.g. `DetailOf<'unknownJob'>` = `{ kind: 'unknownJob'; jobId: string }`. */
export type DetailOf<K extends DomainErrorKind> = Extract<DomainErrorDetail, { kind: K }>;

export class DomainError extends Error {
  constructor(readonly detail: DomainErrorDetail) {
    super(describe(detail));
    this.name = `DomainError(${detail.kind})`;
  }

  get kind(): DomainErrorKind {
    return this.detail.kind;
  }
}

/**
 * A plain-English sentence for logs and the CLI (`localforce serve --seed` prints it). It is never a surface's wire
 * text: surfaces map the detail themselves.
 */
export function describe(d: DomainErrorDetail): string {
  switch (d.kind) {
    case 'payloadTooLarge':
      return `The request exceeds the size limit of ${d.limit}`;
    case 'badEncoding':
      if (d.problem === 'corrupt') return `The ${d.encoding} content is corrupt`;
      return `Unsupported content encoding: ${d.encoding}`;
    case 'unknownJob':
      return `No job ${d.jobId}`;
    case 'unknownBatch':
      return `No batch ${d.batchId}`;
    case 'unknownResult':
      return `No result ${d.resultId}`;
    case 'batchNotComplete':
      return `Batch ${d.batchId} is ${d.state}`;
    case 'unknownObject':
      return `Unable to find object: ${d.object}`;
    case 'quotaExceeded':
      return `${d.quota} Limit exceeded: ${d.limit}`;
    case 'emptyBatch':
      return 'The batch has no data';
    case 'usernameTaken':
      return `The username ${d.username} is already in use`;
    case 'invalidJob':
    case 'invalidJobState':
    case 'featureNotEnabled':
    case 'invalidBatchContent':
    case 'invalidSchema':
    case 'seedFailed':
      return d.reason;
  }
}

/** Request-body errors, thrown by server/body.ts for every surface and by BulkService for its character limit. */
export const RequestErrors = {
  payloadTooLarge: (limit: number) => new DomainError({ kind: 'payloadTooLarge', limit }),
  unsupportedEncoding: (encoding: string) => new DomainError({ kind: 'badEncoding', encoding, problem: 'unsupported' }),
  corruptGzip: () => new DomainError({ kind: 'badEncoding', encoding: 'gzip', problem: 'corrupt' }),
};
