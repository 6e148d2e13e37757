// How the admin CLI reports results and errors to the operator: short sentences, ids included so a
// second command can name the same user without doubt, and never a secret.
import { AppError, ConfigError, DependencyUnavailableError } from '../domain/errors.ts';
import type { IdentifierMigration, User } from '../domain/user.ts';
import type { StatusChange } from './accounts.ts';
import { AdminError } from './errors.ts';
import type { Unlock } from './login-lockout.ts';
import type { UserOverview } from './overview.ts';
import type { PermissionChange } from './permissions.ts';
import type { RotationResult } from './signing-keys.ts';

const who = (user: Pick<User, 'username' | 'id'>) => `${user.username} (id ${user.id})`;
const list = (items: string[]) => (items.length ? items.join(', ') : 'none');

export function created(user: User): string {
  return `Created ${who(user)} <${user.email}>, active, email not verified.`;
}

export function disabled({ user, previousStatus }: StatusChange): string {
  return previousStatus === 'disabled'
    ? `${who(user)} was already disabled; all its sessions and tokens are ended.`
    : `Disabled ${who(user)}: every session, refresh token, access token and API token it had has stopped working.`;
}

export function enabled({ user, previousStatus }: StatusChange): string {
  return previousStatus === 'active'
    ? `${who(user)} is already active; nothing changed.`
    : `Enabled ${who(user)}. Sessions and tokens ended by disabling stay ended: the user logs in again.`;
}

export function unlocked({ user, failures, secondsLeft }: Unlock): string {
  if (failures === 0) return `${who(user)} has no failed logins to clear; nothing changed.`;
  const wait = secondsLeft > 0 ? `, and would have had to wait ${secondsLeft} more seconds` : '';
  return `Unlocked ${who(user)}: cleared ${failures} failed login(s)${wait}. The next failures count from zero.`;
}

export function granted(change: PermissionChange): string {
  const head = change.changed
    ? `Granted "${change.permission}" to ${who(change.user)}.`
    : `${who(change.user)} already has "${change.permission}"; nothing changed.`;
  const opens = change.services.length ? ` It opens: ${change.services.map((s) => `${s.name} (${s.id})`).join(', ')}.` : '';
  return `${head}${opens} Permissions: ${list(change.user.permissions)}.`;
}

export function revoked(change: PermissionChange): string {
  const head = change.changed
    ? `Revoked "${change.permission}" from ${who(change.user)}; service tokens it granted stop working within a second.`
    : `${who(change.user)} does not have "${change.permission}"; nothing changed.`;
  return `${head} Permissions: ${list(change.user.permissions)}.`;
}

export function rotated(result: RotationResult): string {
  const lines = [`Signing key rotated: now signing with ${result.kid}; next key ${result.nextKid} published.`];
  if (result.retiredKid) lines.push(`Retired ${result.retiredKid}; it stays in the JWKS until its tokens have expired.`);
  return lines.join('\n');
}

export function migrated(result: IdentifierMigration): string {
  const lines = [`Identifier keys: ${result.users} accounts, ${result.written} keys written, ${result.present} already there.`];
  for (const c of result.conflicts) {
    lines.push(
      `Not written: the ${c.field} ${JSON.stringify(c.value)} of ${c.userId} is now the same name as account ${c.heldBy}'s; both keep their old keys.`,
    );
  }
  return lines.join('\n');
}

export function overview({ user, sessions, apiTokens }: UserOverview): string {
  const lines = [
    `${who(user)} <${user.email}>`,
    `  status: ${user.status}, email ${user.emailVerified ? 'verified' : 'not verified'}, created ${user.createdAt}`,
    `  permissions: ${list(user.permissions)}`,
    ...(user.externalId === undefined ? [] : [`  id in the system it came from: ${user.externalId}`]),
    `Sessions (${sessions.length}):`,
    ...sessions.map(
      (s) =>
        `  ${s.id}  ${s.state}${s.revokedReason ? ` (${s.revokedReason})` : ''}  created ${s.createdAt}` +
        `  last refreshed ${s.lastRefreshedAt ?? 'never'}${s.revokedAt ? `  revoked ${s.revokedAt}` : ''}  expires ${s.expiresAt}`,
    ),
    `API tokens (${apiTokens.length}):`,
    ...apiTokens.map(
      (t) => `  ${t.id}  ${JSON.stringify(t.name)}  ${t.state}  created ${t.createdAt}  expires ${t.expiresAt}  last used ${t.lastUsedAt ?? 'never'}`,
    ),
  ];
  return lines.join('\n');
}

/** The message for a failed command; internal details (stack traces) stay out. */
export function failure(error: unknown): string {
  // An operator wants to know what is unavailable, which the original failure says.
  if (error instanceof DependencyUnavailableError && error.cause !== undefined) return failure(error.cause);
  if (error instanceof AppError) {
    const fields = (error.errors ?? []).map((e) => `\n  ${e.field}: ${e.message}`).join('');
    return `${error.message}${fields}`;
  }
  if (error instanceof AdminError || error instanceof ConfigError) return error.message;
  const { name, message } = error as Error;
  if (name === 'ResourceNotFoundException') return `The table does not exist (or is not in this region): ${message}`;
  if (name === 'CredentialsProviderError') return `No AWS credentials: ${message}`;
  if (['ECONNREFUSED', 'TimeoutError'].includes((error as { code?: string }).code ?? name)) {
    return `DynamoDB is not reachable (${message}). Locally, is \`npm start\` running?`;
  }
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}
