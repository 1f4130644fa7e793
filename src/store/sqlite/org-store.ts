// Orgs, logins and sessions. Users are also rows of their org's `User` table, so REST reads of User see them.
import type { NewUser, OrgRecord, OrgStore, StoredSession, UserLogin } from '../types.js';
import { type Db, quoteIdent } from './database.js';

interface LoginRow {
  user_id: string;
  org_id: string;
  username: string;
  password_hash: string;
  hard_delete: number;
}
interface SessionRow {
  token: string;
  org_id: string;
  user_id: string;
  last_used: number;
}
interface OrgRow {
  id: string;
  name: string;
  is_default: number;
  schema_version: number;
}

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

export class SqliteOrgStore implements OrgStore {
  private readonly stmt;
  constructor(private readonly db: Db) {
    this.stmt = {
      getOrg: db.prepare('SELECT id, name, is_default, schema_version FROM lf_org WHERE id = ?'),
      listOrgs: db.prepare('SELECT id, name, is_default, schema_version FROM lf_org ORDER BY created_date, id'),
      insertOrg: db.prepare('INSERT OR IGNORE INTO lf_org (id, name, created_date, is_default) VALUES (?, ?, ?, ?)'),
      insertLogin: db.prepare(
        'INSERT INTO lf_login (user_id, org_id, username, password_hash, hard_delete) VALUES (?, ?, ?, ?, ?)',
      ),
      findLogin: db.prepare(
        'SELECT user_id, org_id, username, password_hash, hard_delete FROM lf_login WHERE username = ?',
      ),
      getLogin: db.prepare(
        'SELECT user_id, org_id, username, password_hash, hard_delete FROM lf_login WHERE user_id = ?',
      ),
      orgAdmin: db.prepare(
        'SELECT user_id, org_id, username, password_hash, hard_delete FROM lf_login WHERE org_id = ? ORDER BY rowid LIMIT 1',
      ),
      // `token` holds the token's SHA-256 (migration 3).
      saveSession: db.prepare(
        'INSERT OR REPLACE INTO lf_session (token, org_id, user_id, created_date, last_used) VALUES (?, ?, ?, ?, ?)',
      ),
      findSession: db.prepare(
        'SELECT token, org_id, user_id, MAX(created_date, last_used) AS last_used FROM lf_session WHERE token = ?',
      ),
      touchSession: db.prepare('UPDATE lf_session SET last_used = MAX(last_used, ?) WHERE token = ?'),
      deleteSession: db.prepare('DELETE FROM lf_session WHERE token = ?'),
    };
  }

  async getOrg(orgId: string): Promise<OrgRecord | undefined> {
    const r = this.stmt.getOrg.get(orgId) as OrgRow | undefined;
    return r && orgFromRow(r);
  }

  async listOrgs(): Promise<OrgRecord[]> {
    return (this.stmt.listOrgs.all() as OrgRow[]).map(orgFromRow);
  }

  async createOrg(org: { id: string; name: string; isDefault: boolean }, now: number): Promise<void> {
    this.stmt.insertOrg.run(org.id, org.name, now, org.isDefault ? 1 : 0);
  }

  async createUser(u: NewUser, userTable: string, now: number): Promise<void> {
    // The User record's audit fields, to the second as every datetime localforce sets (docs/compatibility.md).
    const iso = new Date(now - (now % 1000)).toISOString();
    this.db.transaction(() => {
      this.stmt.insertLogin.run(u.userId, u.orgId, u.username, u.passwordHash, u.hardDelete ? 1 : 0);
      this.db
        .prepare(`INSERT INTO ${quoteIdent(userTable)} (Id, IsDeleted, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp,
        Username, LastName, FirstName, Name, Alias, Email, CommunityNickname, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey,
        LanguageLocaleKey, ProfileId, IsActive, UserType)
        VALUES (@id, 0, @now, @id, @now, @id, @now, @username, @lastName, @firstName, @name, @alias, @email, @nickname,
        'America/Los_Angeles', 'en_US', 'UTF-8', 'en_US', @profileId, 1, 'Standard')`)
        .run({
          id: u.userId,
          now: iso,
          username: u.username,
          lastName: u.lastName,
          firstName: u.firstName,
          name: `${u.firstName} ${u.lastName}`.trim(),
          alias: u.username.slice(0, 8),
          email: u.email,
          nickname: u.username.split('@')[0].slice(0, 40),
          profileId: u.profileId,
        });
    })();
  }

  async findLogin(username: string): Promise<UserLogin | undefined> {
    const r = this.stmt.findLogin.get(username) as LoginRow | undefined;
    return r && loginFromRow(r);
  }

  async getLogin(userId: string): Promise<UserLogin | undefined> {
    const r = this.stmt.getLogin.get(userId) as LoginRow | undefined;
    return r && loginFromRow(r);
  }

  async findOrgAdmin(orgId: string): Promise<UserLogin | undefined> {
    const r = this.stmt.orgAdmin.get(orgId) as LoginRow | undefined;
    return r && loginFromRow(r);
  }

  async saveSession(s: StoredSession, now: number): Promise<void> {
    this.stmt.saveSession.run(s.tokenHash, s.orgId, s.userId, now, now);
  }

  async findSession(tokenHash: string): Promise<(StoredSession & { lastUsed: number }) | undefined> {
    const r = this.stmt.findSession.get(tokenHash) as SessionRow | undefined;
    return r && { tokenHash: r.token, orgId: r.org_id, userId: r.user_id, lastUsed: r.last_used };
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    this.stmt.touchSession.run(now, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt.deleteSession.run(tokenHash);
  }
}
