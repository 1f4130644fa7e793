// A small JSON writer. JSON.stringify cannot write `36.0` for a number (Salesforce's apiVersion is the JSON
// number 36.0: Bulk API Developer Guide, "JobInfo"), and key order matters to diff-based tests, so objects are
// written in the insertion order their codec chose.

/** A number that must be written with one decimal place, like Salesforce's apiVersion. */
export class OneDecimal {
  constructor(readonly value: number) {}
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | OneDecimal
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

export function writeJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof OneDecimal) return value.value.toFixed(1);
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => writeJson(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, JsonValue | undefined>)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${writeJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
