// Lazy migration (docs/migration.md): a login for an account that is not here yet (or was imported
// without a usable hash) asks the legacy system; when it accepts, the account is created here with
// the profile its answer carries and the password hashed with our argon2id, or the imported
// account gets that hash, and the login goes on as usual. authenticate() (./login.ts) calls this.
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../domain/errors.ts';
import { canonicalIdentifier, emailProblem, usernameProblem } from '../domain/identity.ts';
import type { LegacyAccount, LegacyLogin } from '../domain/legacy-login.ts';
import { PROFILE_FIELDS } from '../domain/profile.ts';
import type { User } from '../domain/user.ts';
import { hasUsablePassword, UNUSABLE_PASSWORD_HASH } from '../domain/user-transfer.ts';
import { hashPassword, verifyPassword } from '../passwords/hashing.ts';
import { toIsoUtc } from '../support/clock.ts';
import { log } from '../support/log.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

/** What the user typed (./login.ts's LoginCredentials). */
interface LoginCredentials {
  login: string;
  password: string;
}

export type LazyMigrationDeps = Pick<Dependencies, 'users' | 'userNumbers' | 'config' | 'clock' | 'legacyLogin'> & SecurityEventDeps;
/** What migrating one login needs (the legacy client is passed on its own). */
type MigrateDeps = Omit<LazyMigrationDeps, 'legacyLogin'>;

/** The registration form's limit for a profile field (lib/routes/native/accounts.ts). */
const PROFILE_FIELD_MAX = 255;
/** Bounds on what a legacy answer may grant: a permission's length and how many. */
const PERMISSION_MAX = 100;
const PERMISSIONS_MAX = 50;

/** The legacy system to ask now, or undefined: migration is off, or MIGRATE_UNTIL has passed (by the injected clock). */
export function activeLegacyLogin(legacy: LegacyLogin | undefined, deps: Pick<LazyMigrationDeps, 'config' | 'clock'>): LegacyLogin | undefined {
  if (!legacy) return undefined;
  const until = deps.config.migration.untilMs;
  return until !== undefined && deps.clock.now() >= until ? undefined : legacy;
}

/**
 * Asks the legacy system about `credentials` (`existing`: the account found here, which has no
 * usable hash). Returns the account here, whose hash now verifies the password, or undefined when
 * the legacy system refused, or its account cannot be stored here (a name held by another account
 * here, a name our rules refuse): each a 401 to the client, the second also a warning to operators.
 * Throws DependencyUnavailableError when the legacy system cannot answer.
 */
export async function migrateAtLogin(
  legacy: LegacyLogin,
  credentials: LoginCredentials,
  existing: User | undefined,
  deps: MigrateDeps,
): Promise<User | undefined> {
  const verdict = await legacy.check(credentials.login, credentials.password);
  if (verdict.kind === 'refused') return undefined;
  const passwordHash = await hashPassword(credentials.password, deps.config.argon2);
  return existing
    ? adoptPassword(existing, verdict.account, passwordHash, credentials, deps)
    : createMigrated(verdict.account, passwordHash, credentials, deps);
}

const dialectOf = (deps: MigrateDeps) => deps.config.migration.fromDialect ?? 'unknown';

/** An imported account without a usable hash gets the one the legacy system just vouched for. */
async function adoptPassword(
  existing: User,
  account: LegacyAccount,
  passwordHash: string,
  credentials: LoginCredentials,
  deps: MigrateDeps,
): Promise<User | undefined> {
  // Imported with the legacy id: a legacy answer about another account (a name reused there) is not this one.
  if (existing.externalId !== undefined && account.externalId !== undefined && existing.externalId !== account.externalId) {
    log.warn('lazy migration: the legacy account is not the imported one with this login', { userId: existing.id, dialect: dialectOf(deps) });
    return undefined;
  }
  if (await deps.users.replacePasswordHash(existing.id, UNUSABLE_PASSWORD_HASH, passwordHash)) {
    await recordSecurityEvent(existing.id, 'account_migrated', deps, { details: { dialect: dialectOf(deps) } });
    return { ...existing, passwordHash };
  }
  // A concurrent first login set it meanwhile (or a reset did): that hash decides.
  return verifiedHere(await deps.users.get(existing.id), credentials);
}

async function createMigrated(account: LegacyAccount, passwordHash: string, credentials: LoginCredentials, deps: MigrateDeps): Promise<User | undefined> {
  const username = canonicalIdentifier(account.username);
  const email = canonicalIdentifier(account.email);
  const problem = usernameProblem(username) ? 'username' : emailProblem(email) ? 'email' : undefined;
  if (problem) {
    // Which field, never its value: the log must not become a list of who has an account where.
    log.warn('lazy migration: the legacy account cannot be stored here', { dialect: dialectOf(deps), field: problem });
    return undefined;
  }
  const number = await keptNumber(account.externalId, deps);
  const now = toIsoUtc(deps.clock.now());
  const user: User = {
    id: randomUUID(),
    ...(number === undefined ? {} : { number }),
    username,
    email,
    emailVerified: account.emailVerified,
    profile: storableProfile(account.profile),
    passwordHash,
    ...(account.externalId === undefined ? {} : { externalId: account.externalId }),
    status: 'active',
    permissions: storablePermissions(account.permissions),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.users.create(user);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Two first logins of one user at once: the other one created it, with a hash of this same
    // password. Anything else holding the name is another account: no way in through it.
    const here = await verifiedHere(await deps.users.findByLogin(credentials.login), credentials);
    if (!here) log.warn('lazy migration: a name of the legacy account belongs to another account here', { dialect: dialectOf(deps) });
    return here;
  }
  await recordSecurityEvent(user.id, 'account_migrated', deps, { details: { dialect: dialectOf(deps) } });
  return user;
}

/** `user` when its own hash verifies the password. */
async function verifiedHere(user: User | undefined, credentials: LoginCredentials): Promise<User | undefined> {
  if (!user || !hasUsablePassword(user)) return undefined;
  return (await verifyPassword(user.passwordHash, credentials.password)) ? user : undefined;
}

/**
 * The legacy id as the account's integer id (the Django dialects show it as `id`) when it is a
 * positive integer nobody here holds; the counter moves past it first, so no registration draws it.
 */
async function keptNumber(externalId: string | undefined, deps: MigrateDeps): Promise<number | undefined> {
  if (externalId === undefined || !/^[1-9]\d{0,15}$/.test(externalId)) return undefined;
  const number = Number(externalId);
  if (!Number.isSafeInteger(number) || (await deps.userNumbers.findUserId(number)) !== undefined) return undefined;
  await deps.userNumbers.atLeast(number);
  return number;
}

function storableProfile(profile: LegacyAccount['profile']): User['profile'] {
  const kept: User['profile'] = {};
  for (const field of PROFILE_FIELDS) {
    const value = profile[field]?.normalize('NFKC').trim();
    if (value && [...value].length <= PROFILE_FIELD_MAX) kept[field] = value;
  }
  return kept;
}

function storablePermissions(permissions: string[] | undefined): string[] {
  const kept = (permissions ?? []).filter((permission) => permission.length <= PERMISSION_MAX);
  return [...new Set(kept)].slice(0, PERMISSIONS_MAX);
}
