// Orgs, logins and sessions. Users are also rows of the typed `User` table, so REST reads of User see them.
import type { OrgRecord, OrgStore, Session, UserLogin } from '../types.js';
import type { Db } from './database.js';

export class SqliteOrgStore implements OrgStore {
  private readonly stmt;
  constructor(private readonly db: Db) {
    this.stmt = {
      getOrg: db.prepare('SELECT id, name FROM lf_org WHERE id = ?'),
      insertOrg: db.prepare('INSERT OR IGNORE INTO lf_org (id, name, created_date) VALUES (?, ?, ?)'),
      insertLogin: db.prepare('INSERT INTO lf_login (user_id, org_id, username, password_hash) VALUES (?, ?, ?, ?)'),
      insertUser: db.prepare(`INSERT INTO "User" (Id, IsDeleted, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp,
        Username, LastName, FirstName, Name, Alias, Email, CommunityNickname, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey,
        LanguageLocaleKey, ProfileId, IsActive, UserType)
        VALUES (@id, 0, @now, @id, @now, @id, @now, @username, @lastName, @firstName, @name, @alias, @email, @nickname,
        'America/Los_Angeles', 'en_US', 'UTF-8', 'en_US', @profileId, 1, 'Standard')`),
      findLogin: db.prepare('SELECT user_id, org_id, username, password_hash FROM lf_login WHERE username = ?'),
      getUser: db.prepare('SELECT * FROM "User" WHERE Id = ?'),
      saveSession: db.prepare('INSERT OR REPLACE INTO lf_session (token, org_id, user_id, created_date) VALUES (?, ?, ?, ?)'),
      findSession: db.prepare('SELECT token, org_id, user_id FROM lf_session WHERE token = ?'),
      deleteSession: db.prepare('DELETE FROM lf_session WHERE token = ?'),
    };
  }

  async getOrg(orgId: string): Promise<OrgRecord | undefined> {
    return this.stmt.getOrg.get(orgId) as OrgRecord | undefined;
  }

  async createOrg(org: OrgRecord, now: number): Promise<void> {
    this.stmt.insertOrg.run(org.id, org.name, now);
  }

  async createUser(u: UserLogin & { lastName: string; firstName: string; email: string; profileId: string }, now: number): Promise<void> {
    const iso = new Date(now).toISOString();
    this.db.transaction(() => {
      this.stmt.insertLogin.run(u.userId, u.orgId, u.username, u.passwordHash);
      this.stmt.insertUser.run({
        id: u.userId, now: iso, username: u.username, lastName: u.lastName, firstName: u.firstName,
        name: `${u.firstName} ${u.lastName}`.trim(), alias: u.username.slice(0, 8), email: u.email,
        nickname: u.username.split('@')[0].slice(0, 40), profileId: u.profileId,
      });
    })();
  }

  async findLogin(username: string): Promise<UserLogin | undefined> {
    const r = this.stmt.findLogin.get(username) as { user_id: string; org_id: string; username: string; password_hash: string } | undefined;
    return r && { userId: r.user_id, orgId: r.org_id, username: r.username, passwordHash: r.password_hash };
  }

  async getUserRecord(userId: string): Promise<Record<string, unknown> | undefined> {
    return this.stmt.getUser.get(userId) as Record<string, unknown> | undefined;
  }

  async saveSession(s: Session, now: number): Promise<void> {
    this.stmt.saveSession.run(s.token, s.orgId, s.userId, now);
  }

  async findSession(token: string): Promise<Session | undefined> {
    const r = this.stmt.findSession.get(token) as { token: string; org_id: string; user_id: string } | undefined;
    return r && { token: r.token, orgId: r.org_id, userId: r.user_id };
  }

  async deleteSession(token: string): Promise<void> {
    this.stmt.deleteSession.run(token);
  }
}
