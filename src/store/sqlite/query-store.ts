// Reads for REST queries on the API connection: a row count and one page of rows of a compiled query.
import type { QueryStore } from '../types.js';
import type { Db } from './database.js';

export class SqliteQueryStore implements QueryStore {
  constructor(private readonly db: Db) {}

  async count(sql: string, params: readonly unknown[]): Promise<number> {
    return this.db
      .prepare(`SELECT COUNT(*) FROM (${sql})`)
      .pluck(true)
      .get(...params) as number;
  }

  async page(sql: string, params: readonly unknown[], limit: number, offset: number): Promise<unknown[][]> {
    return this.db
      .prepare(`SELECT * FROM (${sql}) LIMIT ? OFFSET ?`)
      .raw(true)
      .all(...params, limit, offset) as unknown[][];
  }
}
