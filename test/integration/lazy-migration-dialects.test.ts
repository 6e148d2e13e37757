// Lazy migration from a TCAP, EclecticIQ or Opentact service: the legacy system is the test stack's
// own running service (its compatibility routes over HTTP, at inject('apiUrl')), users registered
// there; the migrating side is the login use case on a table of its own, with MIGRATE_FROM_URL
// pointing at the stack and the real client of each dialect (lib/migration/). A first login creates
// the account with what that dialect's answer carries; a wrong password creates nothing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { InvalidCredentialsError } from '../../lib/domain/errors.ts';
import type { LegacyDialect } from '../../lib/domain/legacy-login.ts';
import { login } from '../../lib/use-cases/login.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { CHEAP_ARGON2 } from '../support/service-handlers.ts';

const PASSWORD = 'a password the legacy system knows';

let tableName: string;
beforeAll(async () => {
  tableName = await freshTable();
});

/** Registers a user on the running stack (the legacy system); its id there. */
async function legacyUser() {
  const s = randomUUID().slice(0, 8);
  const user = {
    username: `old_${s}`,
    email: `old_${s}@example.com`,
    password: PASSWORD,
    first_name: 'Ada',
    last_name: 'Lovelace',
    organisation_name: 'Analytical Engines',
    job_title: 'Programmer',
  };
  const res = await fetch(`${inject('apiUrl')}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(201);
  const { user: created } = (await res.json()) as { user: { id: string } };
  return { ...user, id: created.id };
}

function migratingDeps(dialect: LegacyDialect) {
  return testDependencies(testClock(), {
    ...CHEAP_ARGON2,
    TABLE_NAME: tableName,
    MIGRATE_FROM_URL: inject('apiUrl'),
    MIGRATE_FROM_DIALECT: dialect,
    MIGRATE_FAILED_LOGIN_MIN_MS: '0',
  });
}

describe.each([
  // TCAP's answer has the whole profile (organisation, job title) and the integer id.
  { dialect: 'tcap' as const, by: 'username' as const, profile: ['first_name', 'last_name', 'organisation_name', 'job_title'] as const },
  // EclecticIQ's has only a token: our access token's claims name the account, no profile.
  { dialect: 'eclecticiq' as const, by: 'username' as const, profile: [] as const },
  // Opentact's payload has first and last name; its JWT (ours) names the username.
  { dialect: 'opentact' as const, by: 'email' as const, profile: ['first_name', 'last_name'] as const },
])('lazy migration from $dialect', ({ dialect, by, profile }) => {
  it('creates the account at the first login with what the answer carries', async () => {
    // Prepare
    const old = await legacyUser();
    const deps = migratingDeps(dialect);

    // Act
    const result = await login({ login: old[by], password: PASSWORD }, deps);

    // Assess
    const stored = await deps.users.get(result.user.id);
    expect(stored).toMatchObject({ username: old.username, email: old.email, status: 'active' });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.profile).toEqual(Object.fromEntries(profile.map((field) => [field, old[field]])));
    // TCAP shows the integer id (kept as the number here), the others the UUID.
    if (dialect === 'tcap') expect(stored!.externalId).toMatch(/^\d+$/);
    else expect(stored!.externalId).toBe(old.id);
    // Logging in again needs the legacy system no more: the hash here decides.
    await expect(login({ login: old.email, password: 'wrong' }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect((await login({ login: old.username, password: PASSWORD }, deps)).user.id).toBe(result.user.id);
  });

  it('creates nothing for a wrong password', async () => {
    const old = await legacyUser();
    const deps = migratingDeps(dialect);

    await expect(login({ login: old[by], password: 'not the password' }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(await deps.users.findByLogin(old.email)).toBeUndefined();
  });
});
