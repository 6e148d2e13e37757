// Creating, disabling and enabling accounts from the admin CLI. Creation goes through the register
// use case, so the same validation, password policy and hashing apply as for POST /register.

import type { ProfileField } from '../config/all.ts';
import type { User } from '../domain/user.ts';
import { registerSchema } from '../routes/native/accounts.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { register, validateRegistration } from '../use-cases/register.ts';
import { recordSecurityEvent, type SecurityEventDeps } from '../use-cases/security-events.ts';
import { UnknownUserError } from './errors.ts';
import { findUser } from './find-user.ts';

export interface NewAccount {
  username: string;
  email: string;
  password: string;
  profile?: Partial<Record<ProfileField, string>>;
}

/** Throws ValidationError (every bad field) or ConflictError (username or email taken). */
export async function createUser(account: NewAccount, deps: Pick<Dependencies, 'users' | 'userNumbers' | 'clock' | 'config'>): Promise<User> {
  const body = { ...account.profile, username: account.username, email: account.email, password: account.password };
  const input = await validateRegistration(body, registerSchema(deps.config.requiredProfileFields));
  return register(input, deps);
}

export interface StatusChange {
  user: User;
  /** The status before the command; the same as the new one means nothing needed changing. */
  previousStatus: User['status'];
}

/**
 * Disables the account and, in the same write, ends every session, refresh token, access token and
 * API token it has: the refresh use case and the token checker refuse anything issued before the
 * user's "valid after" times, and anything at all while the status is 'disabled'.
 */
export async function disableUser(reference: string, deps: Pick<Dependencies, 'users' | 'clock'> & SecurityEventDeps): Promise<StatusChange> {
  const user = await findUser(reference, deps);
  // Repeated on an already disabled account, it still ends whatever may have been issued since.
  if (!(await deps.users.disable(user.id, deps.clock.now()))) throw new UnknownUserError(reference);
  if (user.status === 'active') await recordSecurityEvent(user.id, 'account_disabled', deps, { channel: 'admin' });
  return { user: await current(user, reference, deps), previousStatus: user.status };
}

/** Lets the account log in again. Sessions and tokens ended by disabling stay ended. */
export async function enableUser(reference: string, deps: Pick<Dependencies, 'users' | 'clock'> & SecurityEventDeps): Promise<StatusChange> {
  const user = await findUser(reference, deps);
  if (user.status !== 'active') {
    if (!(await deps.users.enable(user.id, deps.clock.now()))) throw new UnknownUserError(reference);
    await recordSecurityEvent(user.id, 'account_enabled', deps, { channel: 'admin' });
  }
  return { user: await current(user, reference, deps), previousStatus: user.status };
}

async function current(user: User, reference: string, deps: Pick<Dependencies, 'users'>): Promise<User> {
  const fresh = await deps.users.get(user.id);
  if (!fresh) throw new UnknownUserError(reference);
  return fresh;
}
