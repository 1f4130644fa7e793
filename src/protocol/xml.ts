// Salesforce's Bulk 1.0 XML layout, written by hand because clients (and `sf`, which prints the parsed XML)
// see its exact shape: the declaration and the root's opening tag on one line, the default namespace on the
// next line after three spaces, children indented one space per level, the closing root tag at column 0,
// no trailing newline (docs/compatibility.md), and a self-closing root when it has no children, as in the real
// responses CumulusCI recorded.
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';

export const DATALOAD_NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** An element: its name and either text (omitted when undefined) or child elements. */
export type XmlNode = readonly [name: string, value: string | number | boolean | null | undefined | readonly XmlNode[]];

// Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other than tab, LF and CR,
// U+FFFE/U+FFFF and unpaired surrogates. A stored value holding one is written without it, so the document stays
// parseable (docs/compatibility.md).
const NOT_XML = new RegExp(
  [
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.source, // a high surrogate without its low half
    /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source, // a low surrogate without its high half
  ].join('|'),
  'g',
);
const NEEDS_WORK = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  // Fast path: most values need no escaping.
  if (!NEEDS_WORK.test(text)) return text;
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function writeNodes(nodes: readonly XmlNode[], depth: number, out: string[]): void {
  const pad = ' '.repeat(depth);
  for (const [name, value] of nodes) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      out.push(`${pad}<${name}>\n`);
      writeNodes(value, depth + 1, out);
      out.push(`${pad}</${name}>\n`);
    } else if (value === null) {
      out.push(`${pad}<${name} xsi:nil="true"/>\n`);
    } else {
      out.push(`${pad}<${name}>${escapeXml(String(value))}</${name}>\n`);
    }
  }
}

/** A whole document in the dataload namespace. `extraNs` adds namespace declarations (e.g. xsi) to the root. */
export function xmlDocument(root: string, children: readonly XmlNode[], extraNs = ''): string {
  const open = `${DECLARATION}<${root}\n   xmlns="${DATALOAD_NS}"${extraNs}`;
  if (children.every(([, v]) => v === undefined)) return `${open} />`;
  const out: string[] = [`${open}>\n`];
  writeNodes(children, 1, out);
  out.push(`</${root}>`);
  return out.join('');
}

/** Streams the same layout in pieces, for documents with many children (result files). */
export function xmlOpen(root: string, extraNs = ''): string {
  return `${DECLARATION}<${root}\n   xmlns="${DATALOAD_NS}"${extraNs}>\n`;
}
export function xmlChildren(children: readonly XmlNode[], depth = 1): string {
  const out: string[] = [];
  writeNodes(children, depth, out);
  return out.join('');
}
export function xmlClose(root: string): string {
  return `</${root}>`;
}

// Reading. Namespace prefixes are removed (clients send `se:`, `env:`, `soapenv:`, `n1:` …); CDATA and
// entities become text; values stay strings so nothing is coerced before the schema sees it.
export const XML_READER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: () => false,
};
const parser = new XMLParser(XML_READER_OPTIONS);

export type XmlValue = string | { [key: string]: XmlValue | XmlValue[] } | XmlValue[];

/** Parses an XML document into plain objects; throws an Error with a readable message when it is not well formed. */
export function parseXml(text: string): Record<string, XmlValue> {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('<')) throw new Error('Content is not allowed in prolog.');
  const validation = validate(trimmed);
  if (validation !== true) throw new Error(validation);
  return parser.parse(trimmed) as Record<string, XmlValue>;
}

function validate(text: string): true | string {
  const result = XMLValidator.validate(text);
  if (result === true) return true;
  return `${result.err.msg} (line ${result.err.line}, column ${result.err.col})`;
}
