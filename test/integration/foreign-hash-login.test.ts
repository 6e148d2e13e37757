// Logging in with a password hash another system made (Django, passlib, argon2-cffi, Firebase,
// bcrypt), stored as an import leaves it: login() accepts the right password and replaces the hash
// with our argon2id at once; a wrong password is refused and leaves the hash as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidCredentialsError } from '../../lib/domain/errors.ts';
import { UNUSABLE_PASSWORD_HASH } from '../../lib/domain/user-transfer.ts';
import { hashFormat } from '../../lib/passwords/foreign-hashes.ts';
import { needsRehash, verifyPassword } from '../../lib/passwords/hashing.ts';
import { login } from '../../lib/use-cases/login.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { type ForeignHash, foreignHashes, oneOfEachSource } from '../support/foreign-hashes.ts';
import { storedUser } from '../support/users.ts';

const deps = testDependencies(testClock(Date.UTC(2026, 10, 30, 8)));
let oneOfEach: ForeignHash[];

beforeAll(async () => {
  // One per source, with a Unicode password where there is one: enough to show each format logs in.
  oneOfEach = oneOfEachSource(await foreignHashes({ defaultCosts: false }));
}, 60_000);

describe('login with an imported foreign hash', { timeout: 120_000 }, () => {
  it('accepts the right password and re-hashes it with our argon2id parameters', async () => {
    for (const { source, password, hash } of oneOfEach) {
      const user = await storedUser(deps, 'foreign', { passwordHash: hash });
      const result = await login({ login: user.username, password }, deps);
      expect([source, result.user.id]).toEqual([source, user.id]);
      const stored = (await deps.users.get(user.id))!;
      expect([source, hashFormat(stored.passwordHash), needsRehash(stored.passwordHash, deps.config.argon2)]).toEqual([source, 'argon2id', false]);
      expect(await verifyPassword(stored.passwordHash, password)).toBe(true);
      // And again, now with our own hash.
      await expect(login({ login: user.email, password }, deps)).resolves.toMatchObject({ user: { id: user.id } });
    }
  });

  it('refuses a wrong password and leaves the foreign hash as it was', async () => {
    for (const { source, password, hash } of oneOfEach) {
      const user = await storedUser(deps, 'foreignno', { passwordHash: hash });
      const refused = await login({ login: user.username, password: `${password} ` }, deps).catch((error) => error);
      expect([source, refused]).toEqual([source, expect.any(InvalidCredentialsError)]);
      expect([source, (await deps.users.get(user.id))!.passwordHash]).toEqual([source, hash]);
    }
  });

  it('refuses every password of an account imported without one (no migration configured)', async () => {
    const user = await storedUser(deps, 'foreignnone', { passwordHash: UNUSABLE_PASSWORD_HASH });
    for (const password of ['', '!', UNUSABLE_PASSWORD_HASH, 'correct horse battery staple']) {
      await expect(login({ login: user.username, password }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    expect((await deps.users.get(user.id))!.passwordHash).toBe(UNUSABLE_PASSWORD_HASH);
  });
});
