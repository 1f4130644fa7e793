// The two document formats of Bulk API 1.0 (Salesforce's "Bulk API Developer Guide", "JobInfo": XML, and JSON
// from API version 36.0), and the content types they travel with.

export type WireFormat = 'xml' | 'json';

export const CONTENT_TYPE = { xml: 'application/xml', json: 'application/json', csv: 'text/csv' } as const;

/** The format of a job create/update body: the Content-Type when it names XML or JSON, otherwise sniffed. */
export function requestFormat(contentType: string | undefined, body: string): WireFormat {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  return body.trimStart().startsWith('{') ? 'json' : 'xml';
}
