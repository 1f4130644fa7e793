// Reads for REST queries on PostgreSQL: a row count and one page of rows of a compiled query.
import type { QueryStore } from '../types.js';
import type { Pool } from './database.js';

export class PostgresQueryStore implements QueryStore {
  constructor(private readonly pool: Pool) {}

  async count(sql: string, params: readonly unknown[]): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql}) q`, params as unknown[]);
    return rows[0].n;
  }

  async page(sql: string, params: readonly unknown[], limit: number, offset: number): Promise<unknown[][]> {
    const n = params.length;
    const { rows } = await this.pool.query({
      text: `SELECT * FROM (${sql}) q LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...params, limit, offset],
      rowMode: 'array',
    });
    return rows as unknown[][];
  }
}
