// Reads for REST queries on the API connection: a row count, and the rows of one page (a keyset page:
// engine/rest-query.ts).
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

  async rows(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    return this.db
      .prepare(sql)
      .raw(true)
      .all(...params) as unknown[][];
  }
}
