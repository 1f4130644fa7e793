// Whether an error means "the database cannot be reached or is busy right now" rather than "this request is wrong":
// PostgreSQL restarting or refusing connections, a connection dropped mid-query, SQLite locked past its busy timeout.
// Surfaces answer these with 503 and a clear message (the client may retry); nothing is lost, because a batch is only
// acknowledged after its commit.

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown: PostgreSQL is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database does not exist (dropped, or not created yet)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  'SQLITE_BUSY',
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end/i;

export function isStoreUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08/.test(code))) return true;
  if (UNAVAILABLE_MESSAGES.test(String((err as { message?: unknown }).message ?? ''))) return true;
  // An error that wraps the driver's (opening the stores names the database it could not reach).
  const cause = (err as { cause?: unknown }).cause;
  return cause !== err && isStoreUnavailable(cause);
}

/**
 * Whether the database refused a value or a constraint (SQLSTATE classes 22 and 23): retrying the same batch would
 * fail the same way, so the batch fails instead of being claimed again ten times.
 */
export function isRefusedByDatabase(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}
