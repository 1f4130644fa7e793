// The batch list rendered from kept per-batch fragments is byte for byte the document renderBatchInfoList writes, in
// both formats, before and after batches change (a changed batch's fragment is made again, the others are reused).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderBatchInfoList } from '../../src/api/bulk1/codec.js';
import { BatchListRenderer } from '../../src/api/bulk1/batch-list.js';
import type { Batch } from '../../src/jobs/model.js';

const T = Date.UTC(2026, 11, 1, 12, 0, 0);

function batch(i: number): Batch {
  return {
    id: `751Lf00000000${String(i).padStart(5, '0')}`,
    jobId: '750Lf0000000001IAA',
    state: i % 5 === 0 ? 'Failed' : 'Completed',
    stateMessage: i % 5 === 0 ? `InvalidBatch : <bad> & "worse" ${i}` : null,
    createdDate: T,
    systemModstamp: T + i,
    numberRecordsProcessed: i,
    numberRecordsFailed: i % 3,
    totalProcessingTime: 10 * i,
    apiActiveProcessingTime: 9 * i,
    apexProcessingTime: 0,
  };
}

describe('batch list from fragments', () => {
  for (const format of ['xml', 'json'] as const) {
    it(`writes the same bytes as the whole-document renderer (${format})`, () => {
      const renderer = new BatchListRenderer();
      let batches = Array.from({ length: 50 }, (_, i) => batch(i));
      assert.equal(renderer.render([], format), renderBatchInfoList([], format));
      assert.equal(renderer.render(batches, format), renderBatchInfoList(batches, format));
      assert.equal(renderer.render(batches, format), renderBatchInfoList(batches, format), 'from kept fragments');
      batches = batches.map((b, i) => (i % 7 ? b : { ...b, state: 'InProgress', numberRecordsProcessed: 1 }));
      batches.push(batch(50));
      assert.equal(renderer.render(batches, format), renderBatchInfoList(batches, format), 'after changes');
      assert.equal(renderer.render(batches.slice(0, 1), format), renderBatchInfoList(batches.slice(0, 1), format));
    });
  }
});
