// Reading parsed documents, XML and JSON alike, into typed fields. XML arrives as strings (the parser coerces
// nothing) and JSON as its own types, so each reader takes both: a client that writes `"5"` where a number belongs,
// or `TRUE` for a boolean, is read the way Salesforce reads it. A missing or unreadable field is a ProtocolParseError.
import { ProtocolParseError } from './errors.js';
import { parseXml, type XmlValue } from './xml.js';

/** An element's children (or a JSON object's members) by name. */
export type Fields = { readonly [name: string]: unknown };

export function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses an XML document and returns its root element, which must be `root`; an empty root is no fields. */
export function readXmlRoot(text: string, root: string): Fields {
  if (text.trim() === '') throw new ProtocolParseError(root, 'Premature end of file.');
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(text);
  } catch (err) {
    throw new ProtocolParseError(root, `Failed to parse XML: ${(err as Error).message}`);
  }
  const element = doc[root];
  if (element === undefined) {
    throw new ProtocolParseError(root, `Expected the root element ${root}, found: ${Object.keys(doc)[0] ?? 'nothing'}`);
  }
  return isFields(element) ? element : {};
}

/** Parses a JSON document; a syntax error is a ProtocolParseError. */
export function readJson(text: string, document: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ProtocolParseError(document, `Failed to parse JSON: ${(err as Error).message}`);
  }
}

export function readJsonObject(text: string, document: string): Fields {
  const value = readJson(text, document);
  if (!isFields(value)) throw new ProtocolParseError(document, `Failed to parse JSON: expected a ${document} object`);
  return value;
}

/** A value's text: XML text (an element with attributes keeps it under `#text`), or a JSON scalar as written. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isFields(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

/** The elements named `name`: the parser gives one element as a value and repeated ones as an array. */
export function listOf(fields: Fields, name: string): unknown[] {
  const value = fields[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function requiredText(fields: Fields, name: string, document: string): string {
  const text = textOf(fields[name]);
  if (text === undefined) throw new ProtocolParseError(document, `${document}: ${name} is missing`);
  return text;
}

/** Absent, JSON null and `xsi:nil` elements (attributes only, no text) are all null. */
export function optionalText(fields: Fields, name: string): string | null {
  return textOf(fields[name]) ?? null;
}

export function requiredNumber(fields: Fields, name: string, document: string): number {
  const text = requiredText(fields, name, document).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) {
    throw new ProtocolParseError(document, `${document}: ${name} is not a number: ${text}`);
  }
  return value;
}

export function requiredBoolean(fields: Fields, name: string, document: string): boolean {
  const text = requiredText(fields, name, document).trim().toLowerCase();
  if (text !== 'true' && text !== 'false') {
    throw new ProtocolParseError(document, `${document}: ${name} is not true or false: ${text}`);
  }
  return text === 'true';
}

export function requiredFields(value: unknown, document: string): Fields {
  if (!isFields(value)) throw new ProtocolParseError(document, `${document}: expected an element with children`);
  return value;
}

/**
 * The text of the first element named `name` anywhere in an XML document or fragment (several top-level elements),
 * searching depth first; undefined when there is none or the text is not XML. For tests and tools that look at one
 * value of a response without caring which document it is.
 */
export function firstElementText(xml: string, name: string): string | undefined {
  const body = xml.trimStart().replace(/^<\?xml[^>]*\?>/, '');
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(`<fragment>${body}</fragment>`);
  } catch {
    return undefined;
  }
  return findText(doc.fragment, name);
}

function findText(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findText(item, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isFields(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === name) {
      const text = textOf(Array.isArray(child) ? child[0] : child);
      if (text !== undefined) return text;
    }
    const found = findText(child, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
