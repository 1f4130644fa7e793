// Jobs and batches as the store holds them, for tests that drive the store directly (leases, the store contract):
// every field set to a plain default, the ones a test cares about passed in.
import type { Batch, Job } from '../../src/jobs/model.js';

export const TEST_ORG_ID = '00DLf0000000001AAA';
export const TEST_USER_ID = '005Lf0000000001AAA';

export function storedJob(fields: Pick<Job, 'id' | 'createdDate'> & Partial<Job>): Job {
  return {
    api: 'bulk1',
    orgId: TEST_ORG_ID,
    createdById: TEST_USER_ID,
    operation: 'insert',
    object: 'Account',
    externalIdFieldName: null,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    state: 'Open',
    apiVersion: 62,
    assignmentRuleId: null,
    systemModstamp: fields.createdDate,
    numberRetries: 0,
    lineEnding: null,
    pkChunking: null,
    ...fields,
  };
}

export function storedBatch(fields: Pick<Batch, 'id' | 'jobId' | 'createdDate'> & Partial<Batch>): Batch {
  return {
    state: 'Queued',
    stateMessage: null,
    systemModstamp: fields.createdDate,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    ...fields,
  };
}
