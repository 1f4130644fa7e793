// Reads for REST queries on PostgreSQL: a row count, and the rows of one page (a keyset page:
// engine/rest-query.ts).
import type { QueryStore } from '../types.js';
import type { Pool } from './database.js';

export class PostgresQueryStore implements QueryStore {
  constructor(private readonly pool: Pool) {}

  async count(sql: string, params: readonly unknown[]): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql}) q`, params as unknown[]);
    return rows[0].n;
  }

  async rows(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    const { rows } = await this.pool.query({ text: sql, values: params as unknown[], rowMode: 'array' });
    return rows as unknown[][];
  }
}
