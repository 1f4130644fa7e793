// The XML writer and reader live in src/protocol/xml.ts (the protocol layer is a leaf: wire may import it, never
// the reverse); this module keeps the old import path working.
export * from '../protocol/xml.js';
