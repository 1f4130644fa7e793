// Creating orgs and users: each org has its own users, schema and record tables.
import type { OrgStore } from '../store/types.js';
import type { Clock } from './clock.js';
import { KEY_PREFIX, type IdGenerator } from './ids.js';
import { hashPassword, type AuthService } from './auth.js';
import type { SchemaService } from './schema-service.js';
import { DomainError } from '../errors/domain.js';

export interface NewOrg {
  name: string;
  username: string;
  password: string;
  isDefault?: boolean;
  /** A fixed access token for the admin (scripts, tests); otherwise a new one. */
  token?: string;
}

export interface OrgLogin {
  orgId: string;
  userId: string;
  username: string;
  token: string;
}

export interface NewUserRequest {
  username: string;
  password: string;
  lastName?: string;
  firstName?: string;
  /** The "Bulk API Hard Delete" permission (default true, as the seeded admin has it). */
  hardDelete?: boolean;
}

/** Usernames are unique across orgs, as Salesforce's are; the control plane answers 409. */
export class UsernameTaken extends DomainError {
  constructor(username: string) {
    super({ kind: 'usernameTaken', username });
  }
}

export class OrgService {
  constructor(
    private readonly store: OrgStore,
    private readonly ids: IdGenerator,
    private readonly auth: AuthService,
    private readonly schemas: SchemaService,
    private readonly clock: Clock,
  ) {}

  async createOrg(o: NewOrg): Promise<OrgLogin> {
    if (await this.store.findLogin(o.username)) throw new UsernameTaken(o.username);
    const orgId = await this.ids.one(KEY_PREFIX.org);
    await this.store.createOrg({ id: orgId, name: o.name, isDefault: !!o.isDefault }, this.clock.now());
    await this.schemas.initialise(orgId);
    return this.createUser(
      orgId,
      { username: o.username, password: o.password, firstName: 'localforce', lastName: 'Admin' },
      o.token,
    );
  }

  async createUser(orgId: string, u: NewUserRequest, token?: string): Promise<OrgLogin> {
    if (await this.store.findLogin(u.username)) throw new UsernameTaken(u.username);
    const schema = await this.schemas.forOrg(orgId);
    const userId = await this.ids.one(KEY_PREFIX.user);
    const profileId = await this.ids.one(KEY_PREFIX.profile);
    await this.store.createUser(
      {
        userId,
        orgId,
        username: u.username,
        passwordHash: hashPassword(u.password),
        hardDelete: u.hardDelete ?? true,
        lastName: u.lastName ?? u.username.split('@')[0],
        firstName: u.firstName ?? '',
        email: u.username,
        profileId,
      },
      schema.object('User')!.table,
      this.clock.now(),
    );
    const session = await this.auth.issue(orgId, userId, token);
    return { orgId, userId, username: u.username, token: session.token };
  }
}
