// PostgreSQL stores: placeholder while the backend is written (see store/sqlite for the reference implementation).
import type { StoreConfig, Stores } from '../open.js';

export async function openPostgresStores(_config: Extract<StoreConfig, { kind: 'postgres' }>, _role: 'api' | 'worker'): Promise<Stores> {
  throw new Error('PostgreSQL backend: not built yet');
}
