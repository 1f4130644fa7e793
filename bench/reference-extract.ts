// The raw SQLite reference for measurement 6: better-sqlite3 runs the SELECT that localforce's SOQL compiler
// produces for the extract's query (the same statement text, so the same plan) on localforce's own database file,
// opened read-only, and writes the selected columns to a CSV file on disk, every value quoted with localforce's
// csvCell (Salesforce's result quoting), a header line first, in ~1 MB writes.
//
// Started with fork(file, [dbFile, outFile]); on { type: 'run', sql, header } it runs one extract and replies
// { ms, rows, bytes }; the file is rewritten by every run.
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { csvCell } from '../src/wire/csv.js';

const [dbFile, outFile] = process.argv.slice(2);
const db = new Database(dbFile, { readonly: true });

const WRITE_CHARS = 1 << 20;

function extract(sql: string, header: string[]): { rows: number; bytes: number } {
  const width = header.length;
  const fd = openSync(outFile, 'w');
  let rows = 0;
  let bytes = 0;
  let buf = `${header.map(csvCell).join(',')}\n`;
  const flush = () => {
    bytes += writeSync(fd, buf);
    buf = '';
  };
  try {
    for (const row of db.prepare(sql).raw(true).iterate() as Iterable<unknown[]>) {
      let line = '';
      for (let i = 0; i < width; i++) {
        const v = row[i];
        line += (i ? ',' : '') + csvCell(v == null ? '' : String(v));
      }
      buf += `${line}\n`;
      rows++;
      if (buf.length >= WRITE_CHARS) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { rows, bytes };
}

process.on('message', (msg: { type: string; sql: string; header: string[] }) => {
  if (msg.type === 'run') {
    const t0 = performance.now();
    const { rows, bytes } = extract(msg.sql, msg.header);
    process.send!({ ms: performance.now() - t0, rows, bytes });
  } else if (msg.type === 'stop') {
    db.close();
    process.exit(0);
  }
});
process.send!({ ready: true });
