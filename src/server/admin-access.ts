// Who may use the control plane (/_localforce): the admin token (given, or generated and written beside the data)
// and the Host names it answers to. See docs/security.md for the threats each rule answers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';

/** The name of the file a generated admin token is written to, in the SQLite data directory. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** 32 random bytes, base64url: unguessable, and safe in a header and a shell. */
export function generateAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes a generated token mode 0600 (chmod as well: an older file keeps its mode when overwritten). */
export function writeAdminTokenFile(dataDir: string, token: string): string {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A comparison of a presented token against the admin token whose time does not depend on where they differ:
 * both are hashed first, so timingSafeEqual always compares 32 bytes, whatever the presented length.
 */
export function adminTokenMatcher(expected: string): (presented: string | undefined) => boolean {
  const expectedHash = sha256(expected);
  return (presented) => presented !== undefined && timingSafeEqual(sha256(presented), expectedHash);
}

/** Whether a --host value is a loopback address or name (only this machine can reach it). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * The Host names the control plane answers to: loopback names, the bound address, and `extra` (--allowed-hosts).
 * Bound to every interface (0.0.0.0, ::), the machine's own name and addresses are added: that is how it is reached.
 */
export function allowedHostNames(boundHost: string, extra: string | undefined): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const bound = boundHost.replace(/^\[|\]$/g, '').toLowerCase();
  // The bound address itself, even a wildcard: the banner's URL names it (http://0.0.0.0:8484), and a page that
  // targets it is cross-origin, not rebound, so the token and Content-Type rules stop it.
  names.add(bound);
  if (WILDCARDS.has(bound)) {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address);
  }
  for (const name of (extra ?? '').split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  return names;
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower case; undefined when there is none. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (v6) return v6[1];
  return h.replace(/:\d+$/, '').replace(/\.$/, '');
}

/** Whether a Host header names this server: any loopback name, or one of `allowed`. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostNameOf(header);
  return name !== undefined && (allowed.has(name) || isLoopbackHost(name));
}

/** `hostAllowed` against the names allowed for a server bound to `boundHost` with --allowed-hosts `extra`. */
export function hostChecker(boundHost: string, extra: string | undefined): (header: string | undefined) => boolean {
  const allowed = allowedHostNames(boundHost, extra);
  return (header) => hostAllowed(header, allowed);
}
