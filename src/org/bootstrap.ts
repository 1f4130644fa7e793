// The default org: created on first start, found again on later starts from the same data directory.
import type { OrgStore } from '../store/types.js';
import type { Clock } from './clock.js';
import { KEY_PREFIX, type IdGenerator } from './ids.js';
import { hashPassword, type AuthService } from './auth.js';

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
  password: string;
  token: string;
}

export async function ensureDefaultOrg(store: OrgStore, ids: IdGenerator, auth: AuthService, clock: Clock, o: DefaultOrgOptions): Promise<DefaultOrg> {
  let login = await store.findLogin(o.username);
  if (!login) {
    const orgId = await ids.one(KEY_PREFIX.org);
    const userId = await ids.one(KEY_PREFIX.user);
    const profileId = await ids.one(KEY_PREFIX.profile);
    await store.createOrg({ id: orgId, name: o.orgName }, clock.now());
    await store.createUser(
      { userId, orgId, username: o.username, passwordHash: hashPassword(o.password), lastName: 'Admin', firstName: 'localforce', email: o.username, profileId },
      clock.now(),
    );
    login = (await store.findLogin(o.username))!;
  }
  const session = await auth.issue(login.orgId, login.userId, o.token);
  return { orgId: login.orgId, userId: login.userId, username: login.username, password: o.password, token: session.token };
}
