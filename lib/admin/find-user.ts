// Finds the user an admin command names: by id, email address, username or the id it had in the
// system it was migrated from (docs/migration.md), as the operator knows them.

import type { User } from '../domain/user.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { UnknownUserError } from './errors.ts';

/** Our user ids are random UUIDs; only something shaped like one is tried as an id. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user `reference` names (id first, then email, then username, then external id); UnknownUserError otherwise. */
export async function findUser(reference: string, deps: Pick<Dependencies, 'users'>): Promise<User> {
  const wanted = reference.trim();
  const byId = USER_ID.test(wanted) ? await deps.users.get(wanted.toLowerCase()) : undefined;
  const user = byId ?? (wanted ? ((await deps.users.findByLogin(wanted)) ?? (await deps.users.findByExternalId(wanted))) : undefined);
  if (!user) throw new UnknownUserError(reference);
  return user;
}
