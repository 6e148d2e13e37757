// Granting and revoking the permissions that downstream services require (SERVICES' `permission`,
// checked when a service token is issued and again whenever one is presented). Both are idempotent.

import type { Service } from '../config/all.ts';
import type { User } from '../domain/user.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { UnknownUserError, UsageError } from './errors.ts';
import { findUser } from './find-user.ts';

/** Permission names are plain identifiers like "reports:read"; nothing else belongs in a token claim. */
const PERMISSION = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$/;

export interface PermissionChange {
  user: User;
  permission: string;
  /** False when the user already had (grant) or did not have (revoke) the permission. */
  changed: boolean;
  /** The services in this configuration's SERVICES that need the permission. */
  services: Service[];
}

type PermissionDeps = Pick<Dependencies, 'users' | 'clock' | 'config'>;

export async function grantPermission(reference: string, permission: string, deps: PermissionDeps): Promise<PermissionChange> {
  return change(reference, permission, deps, (userId, now) => deps.users.addPermission(userId, permission, now));
}

/** Also ends the service tokens the permission granted: the token checker re-checks it on every use. */
export async function revokePermission(reference: string, permission: string, deps: PermissionDeps): Promise<PermissionChange> {
  return change(reference, permission, deps, (userId, now) => deps.users.removePermission(userId, permission, now));
}

async function change(
  reference: string,
  permission: string,
  deps: PermissionDeps,
  write: (userId: string, now: number) => Promise<boolean>,
): Promise<PermissionChange> {
  if (!PERMISSION.test(permission)) {
    throw new UsageError(`"${permission}" is not a permission name: use letters, digits and : . _ / - (at most 128 characters).`);
  }
  const user = await findUser(reference, deps);
  const changed = await write(user.id, deps.clock.now());
  const fresh = await deps.users.get(user.id);
  if (!fresh) throw new UnknownUserError(reference);
  return { user: fresh, permission, changed, services: deps.config.services.filter((s) => s.permission === permission) };
}
