// The JSON writer lives in src/protocol/json.ts (the protocol layer is a leaf: wire may import it, never the
// reverse); this module keeps the old import path working.
export * from '../protocol/json.js';
