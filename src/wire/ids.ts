// Salesforce ids: 15 case-sensitive base-62 characters, or 18 = 15 + a 3-character checksum that makes
// the id case-insensitive. Generation lives in org/ids.ts; this module is the pure format.

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 3-character suffix: for each 5-char chunk, bit i is set when char i is an upper-case letter. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + idChecksum(id15);
}

const ID_SHAPE = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;

/**
 * Normalises a 15- or 18-character id to its canonical 18-character form, or returns undefined when the
 * text is not a well-formed id (wrong length, characters, or an 18-char id whose case disagrees with its checksum).
 */
export function normalizeId(text: string): string | undefined {
  if (text.length === 18 && isCanonical18(text)) return text;
  if (!ID_SHAPE.test(text)) return undefined;
  const head = text.slice(0, 15);
  if (text.length === 15) return to18(head);
  // An 18-char id is case-insensitive in its suffix; its first 15 characters must agree with the checksum.
  if (idChecksum(head) !== text.slice(15).toUpperCase()) return undefined;
  return to18(head);
}

/**
 * Whether `text` is already an id in canonical form (15 base-62 characters, then their checksum in upper case), as
 * nearly every id a client sends back is: checked in one pass over the characters, with no string built.
 */
function isCanonical18(text: string): boolean {
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = text.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
      else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return false;
    }
    if (text.charCodeAt(15 + chunk) !== CHECKSUM_ALPHABET.charCodeAt(bits)) return false;
  }
  return true;
}

/** Encodes n as a fixed-width base-62 string. */
export function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  if (rest > 0) throw new Error(`counter ${n} does not fit in ${width} base-62 digits`);
  return out;
}
