// Golden files: the exact bytes localforce must send, with the values that change per run replaced by
// placeholders ({{jobId}}, {{date}}, …). Run with UPDATE_GOLDEN=1 to rewrite them — then read the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const dir = new URL('../../../test/golden/', import.meta.url);

/** Replaces each given value with `{{name}}`, and every Salesforce timestamp with {{date}}. */
export function placeholders(text: string, values: Record<string, string | undefined>): string {
  let out = text;
  for (const [name, value] of Object.entries(values)) if (value) out = out.split(value).join(`{{${name}}}`);
  return out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000(Z|\+0000)/g, '{{date}}');
}

export function assertGolden(name: string, actual: string): void {
  const file = new URL(name, dir);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name}`);
}
