// The Bulk API 1.0 error document (Salesforce's "Bulk API Developer Guide", "Errors"): `<error>` with exceptionCode
// and exceptionMessage in XML, the same two keys in JSON.
import { writeJson } from '../json.js';
import { readJsonObject, readXmlRoot, requiredText, type Fields } from '../read.js';
import { xmlDocument } from '../xml.js';
import type { WireFormat } from './format.js';

export interface ErrorDocument {
  exceptionCode: string;
  exceptionMessage: string;
}

const DOCUMENT = 'error';

export function renderError(e: ErrorDocument, format: WireFormat): string {
  if (format === 'json') return writeJson({ exceptionCode: e.exceptionCode, exceptionMessage: e.exceptionMessage });
  return xmlDocument(DOCUMENT, [
    ['exceptionCode', e.exceptionCode],
    ['exceptionMessage', e.exceptionMessage],
  ]);
}

export function parseError(text: string, format: WireFormat): ErrorDocument {
  const f: Fields = format === 'json' ? readJsonObject(text, DOCUMENT) : readXmlRoot(text, DOCUMENT);
  return {
    exceptionCode: requiredText(f, 'exceptionCode', DOCUMENT),
    exceptionMessage: requiredText(f, 'exceptionMessage', DOCUMENT),
  };
}
