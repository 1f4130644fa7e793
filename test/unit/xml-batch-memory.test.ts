// XML batches heavy in attributes: Salesforce reads a batch's elements and xsi:nil only, and so does the reader; the
// other attributes are dropped while parsing. Kept, each became a property and made its element an object, and a
// 9.4 MB batch needed hundreds of megabytes of worker heap. Here the reader runs in a worker thread whose heap is
// capped at 96 MB, where the reader that kept attributes ran out of memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { readXmlRecords } from '../../src/wire/records.js';

const ATTRS = Array.from({ length: 20 }, (_, i) => `a${i}="v${i}"`).join(' ');

function attributeHeavyBatch(records: number): string {
  const out: string[] = [];
  for (let r = 0; r < records; r++) {
    const fields = Array.from({ length: 10 }, (_, i) => `<F${i}__c ${ATTRS}>x${r}</F${i}__c>`).join('');
    out.push(`<sObject ${ATTRS}>${fields}</sObject>`);
  }
  return `<?xml version="1.0"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload">${out.join('')}</sObjects>`;
}

describe('XML batch reader', () => {
  it('ignores attributes other than xsi:nil', () => {
    const table = readXmlRecords(
      `<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <sObject a="1"><Name lang="en" b="2">Acme</Name><Description xsi:nil="true"/><Site xsi:nil="false" c="3"/></sObject>
      </sObjects>`,
    );
    assert.deepEqual(table.header, ['Name', 'Description', 'Site']);
    assert.deepEqual(table.rows(0, 1), [['Acme', null, undefined]]);
  });

  it('reads a 9.4 MB batch heavy in attributes within a 96 MB heap', { timeout: 120_000 }, async () => {
    const text = attributeHeavyBatch(4_300);
    assert.ok(text.length > 9_000_000);
    const reader = new URL('../../src/wire/records.js', import.meta.url).href;
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       import(workerData.reader).then((m) => parentPort.postMessage(m.readXmlRecords(workerData.text).rowCount));`,
      { eval: true, workerData: { text, reader }, resourceLimits: { maxOldGenerationSizeMb: 96 } },
    );
    const rows = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.equal(rows, 4_300);
  });
});
