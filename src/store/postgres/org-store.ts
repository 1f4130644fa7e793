// Orgs, logins and sessions on PostgreSQL. Users are also rows of their org's `User` table, so REST reads of User see them.
import type { NewUser, OrgRecord, OrgStore, StoredSession, UserLogin } from '../types.js';
import { type Pool, inTransaction, quoteIdent } from './database.js';

interface LoginRow {
  user_id: string;
  org_id: string;
  username: string;
  password_hash: string;
  hard_delete: number;
}
interface OrgRow {
  id: string;
  name: string;
  is_default: number;
  schema_version: number;
}

const LOGIN_COLUMNS = 'user_id, org_id, username, password_hash, hard_delete';
const loginFromRow = (r: LoginRow): UserLogin => ({
  userId: r.user_id,
  orgId: r.org_id,
  username: r.username,
  passwordHash: r.password_hash,
  hardDelete: r.hard_delete === 1,
});
const orgFromRow = (r: OrgRow): OrgRecord => ({
  id: r.id,
  name: r.name,
  isDefault: r.is_default === 1,
  schemaVersion: r.schema_version,
});

export class PostgresOrgStore implements OrgStore {
  constructor(private readonly pool: Pool) {}

  async getOrg(orgId: string): Promise<OrgRecord | undefined> {
    const { rows } = await this.pool.query<OrgRow>(
      'SELECT id, name, is_default, schema_version FROM lf_org WHERE id = $1',
      [orgId],
    );
    return rows[0] && orgFromRow(rows[0]);
  }

  async listOrgs(): Promise<OrgRecord[]> {
    const { rows } = await this.pool.query<OrgRow>(
      'SELECT id, name, is_default, schema_version FROM lf_org ORDER BY created_date, id',
    );
    return rows.map(orgFromRow);
  }

  async createOrg(org: { id: string; name: string; isDefault: boolean }, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO lf_org (id, name, created_date, is_default) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
      [org.id, org.name, now, org.isDefault ? 1 : 0],
    );
  }

  async createUser(u: NewUser, userTable: string, now: number): Promise<void> {
    // The User record's audit fields, to the second as every datetime localforce sets (docs/compatibility.md).
    const iso = new Date(now - (now % 1000)).toISOString();
    await inTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO lf_login (${LOGIN_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
        u.userId,
        u.orgId,
        u.username,
        u.passwordHash,
        u.hardDelete ? 1 : 0,
      ]);
      await c.query(
        `INSERT INTO ${quoteIdent(userTable)} ("Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
          "Username", "LastName", "FirstName", "Name", "Alias", "Email", "CommunityNickname", "TimeZoneSidKey", "LocaleSidKey", "EmailEncodingKey",
          "LanguageLocaleKey", "ProfileId", "IsActive", "UserType")
         VALUES ($1, 0, $2, $1, $2, $1, $2, $3, $4, $5, $6, $7, $8, $9,
          'America/Los_Angeles', 'en_US', 'UTF-8', 'en_US', $10, 1, 'Standard')`,
        [
          u.userId,
          iso,
          u.username,
          u.lastName,
          u.firstName,
          `${u.firstName} ${u.lastName}`.trim(),
          u.username.slice(0, 8),
          u.email,
          u.username.split('@')[0].slice(0, 40),
          u.profileId,
        ],
      );
    });
  }

  async findLogin(username: string): Promise<UserLogin | undefined> {
    const { rows } = await this.pool.query<LoginRow>(
      `SELECT ${LOGIN_COLUMNS} FROM lf_login WHERE lower(username) = lower($1)`,
      [username],
    );
    return rows[0] && loginFromRow(rows[0]);
  }

  async getLogin(userId: string): Promise<UserLogin | undefined> {
    const { rows } = await this.pool.query<LoginRow>(`SELECT ${LOGIN_COLUMNS} FROM lf_login WHERE user_id = $1`, [
      userId,
    ]);
    return rows[0] && loginFromRow(rows[0]);
  }

  async findOrgAdmin(orgId: string): Promise<UserLogin | undefined> {
    const { rows } = await this.pool.query<LoginRow>(
      `SELECT ${LOGIN_COLUMNS} FROM lf_login WHERE org_id = $1 ORDER BY seq LIMIT 1`,
      [orgId],
    );
    return rows[0] && loginFromRow(rows[0]);
  }

  // `token` holds the token's SHA-256 (migration 3).
  async saveSession(s: StoredSession, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO lf_session (token, org_id, user_id, created_date, last_used) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (token) DO UPDATE SET org_id = excluded.org_id, user_id = excluded.user_id,
         created_date = excluded.created_date, last_used = excluded.last_used`,
      [s.tokenHash, s.orgId, s.userId, now],
    );
  }

  async findSession(tokenHash: string): Promise<(StoredSession & { lastUsed: number }) | undefined> {
    const { rows } = await this.pool.query<{ token: string; org_id: string; user_id: string; last_used: string }>(
      'SELECT token, org_id, user_id, GREATEST(created_date, last_used) AS last_used FROM lf_session WHERE token = $1',
      [tokenHash],
    );
    const r = rows[0];
    return r && { tokenHash: r.token, orgId: r.org_id, userId: r.user_id, lastUsed: Number(r.last_used) };
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    await this.pool.query('UPDATE lf_session SET last_used = GREATEST(last_used, $1) WHERE token = $2', [
      now,
      tokenHash,
    ]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM lf_session WHERE token = $1', [tokenHash]);
  }
}
