// The default org: created on first start, found again on later starts from the same data directory.
import type { OrgStore } from '../store/types.js';
import { checkPassword, type AuthService } from './auth.js';
import type { OrgService } from './orgs.js';
import type { SchemaService } from './schema-service.js';

export interface DefaultOrgOptions {
  username: string;
  password: string;
  orgName: string;
  /** A fixed access token for scripts and tests; otherwise a new one is issued at every start. */
  token?: string;
}

export interface DefaultOrg {
  orgId: string;
  userId: string;
  username: string;
  /** The admin password, when the one given is the org's; undefined when the org keeps another from its creation. */
  password: string | undefined;
  token: string;
  /** True when this start created the org (an empty data location): seed data is loaded only then. */
  created: boolean;
}

export async function ensureDefaultOrg(
  store: OrgStore,
  orgs: OrgService,
  schemas: SchemaService,
  auth: AuthService,
  o: DefaultOrgOptions,
): Promise<DefaultOrg> {
  const existing = (await store.listOrgs()).find((org) => org.isDefault);
  if (!existing) {
    const login = await orgs.createOrg({
      name: o.orgName,
      username: o.username,
      password: o.password,
      isDefault: true,
      token: o.token,
    });
    return { ...login, password: o.password, created: true };
  }
  // Tables for objects added by a newer localforce appear on start; existing rows are kept.
  await schemas.initialise(existing.id);
  const login = await store.findLogin(o.username);
  if (!login || login.orgId !== existing.id) throw new Error(`The default org has no user ${o.username}`);
  const session = await auth.issue(login.orgId, login.userId, o.token);
  const password = (await checkPassword(o.password, login.passwordHash)) ? o.password : undefined;
  return {
    orgId: login.orgId,
    userId: login.userId,
    username: login.username,
    password,
    token: session.token,
    created: false,
  };
}
