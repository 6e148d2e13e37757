// Lazy migration in the login use case (lib/use-cases/lazy-migration.ts via authenticate()), on a
// table of its own in DynamoDB Local, with a scripted legacy system behind the LegacyLogin port:
// what a first login creates, what a refusal, an outage, MIGRATE_UNTIL, a name clash, an imported
// account without a hash and two concurrent first logins do, and the failed-login time floor.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nameSubject } from '../../lib/abuse/login-throttle.ts';
import { DependencyUnavailableError, InvalidCredentialsError } from '../../lib/domain/errors.ts';
import type { LegacyAccount, LegacyLogin } from '../../lib/domain/legacy-login.ts';
import { hourOf } from '../../lib/domain/throttle.ts';
import { UNUSABLE_PASSWORD_HASH } from '../../lib/domain/user-transfer.ts';
import { needsRehash } from '../../lib/passwords/hashing.ts';
import { login } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { captureLogs, type LogCapture } from '../support/log-capture.ts';
import { CHEAP_ARGON2 } from '../support/service-handlers.ts';
import { storedUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 30, 12);
const UNTIL = '2026-12-31T00:00:00Z';
/** Small, so the suite stays quick; the property is "no sooner than", whatever its size. */
const FLOOR_MS = 300;
const PASSWORD = 'legacy password of many words';

/** A legacy system that knows `accounts` (by login), counting its calls. */
function scriptedLegacy(accounts: Record<string, LegacyAccount>, outage = false) {
  const calls: string[] = [];
  const legacy: LegacyLogin = {
    async check(loginName, password) {
      calls.push(loginName);
      if (outage) throw new DependencyUnavailableError(new Error('the legacy system could not be reached'));
      const account = accounts[loginName];
      return account && password === PASSWORD ? { kind: 'accepted', account } : { kind: 'refused' };
    },
  };
  return { legacy, calls };
}

let tableName: string;
beforeAll(async () => {
  tableName = await freshTable();
});

let logs: LogCapture | undefined;
afterEach(() => {
  logs?.restore();
  logs = undefined;
});

/** The use case's dependencies with `legacy` as the legacy system (none: migration off). */
function depsWith(legacy: LegacyLogin | undefined, clock = testClock(START)): Dependencies {
  const deps = testDependencies(clock, {
    ...CHEAP_ARGON2,
    TABLE_NAME: tableName,
    MIGRATE_FROM_URL: 'https://legacy.invalid',
    MIGRATE_FROM_DIALECT: 'tcap',
    MIGRATE_UNTIL: UNTIL,
    MIGRATE_FAILED_LOGIN_MIN_MS: String(FLOOR_MS),
  });
  // Before anything reads it: the lazily built dependency is replaced by the script.
  Object.defineProperty(deps, 'legacyLogin', { value: legacy });
  return deps;
}

function legacyAccount(overrides: Partial<LegacyAccount> = {}): LegacyAccount {
  const s = randomUUID().slice(0, 8);
  return {
    username: `legacy_${s}`,
    email: `legacy_${s}@example.com`,
    emailVerified: true,
    profile: { first_name: 'Jane', last_name: 'Doe', organisation_name: 'acmec' },
    externalId: `ext-${s}`,
    ...overrides,
  };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** How long `work` took to settle, in ms. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await failureOf(work());
  return { ms: performance.now() - started, error };
}

describe('lazy migration at login', () => {
  it('creates the account at the first login with the legacy profile, then logs in here without asking again', async () => {
    // Prepare
    const account = legacyAccount({ permissions: ['hash_verification'] });
    const { legacy, calls } = scriptedLegacy({ [account.email]: account });
    const deps = depsWith(legacy);

    // Act
    const first = await login({ login: account.email, password: PASSWORD }, deps);
    const second = await login({ login: account.username, password: PASSWORD }, deps);

    // Assess
    expect(calls).toEqual([account.email]);
    expect(second.user.id).toBe(first.user.id);
    const stored = await deps.users.get(first.user.id);
    expect(stored).toMatchObject({
      username: account.username,
      email: account.email,
      emailVerified: true,
      profile: account.profile,
      externalId: account.externalId,
      permissions: ['hash_verification'],
      status: 'active',
    });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(needsRehash(stored!.passwordHash, deps.config.argon2)).toBe(false);
    const events = await deps.securityEvents.list(first.user.id, { limit: 25 }, Math.floor(START / 1000) + 60);
    expect(events.events.map((event) => [event.type, event.details])).toContainEqual(['account_migrated', { dialect: 'tcap' }]);
  });

  it('keeps a free integer legacy id as the account number, and moves the counter past it', async () => {
    const account = legacyAccount({ externalId: '4242' });
    const later = legacyAccount({ externalId: '4243' });
    const { legacy } = scriptedLegacy({ [account.email]: account, [later.email]: later });
    const deps = depsWith(legacy);

    const first = await login({ login: account.email, password: PASSWORD }, deps);
    // The counter moved past 4242: a registration here now draws 4243, the next legacy user's id.
    const registered = await register(
      { username: `here_${randomUUID().slice(0, 8)}`, email: `here_${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD },
      deps,
    );
    const second = await login({ login: later.email, password: PASSWORD }, deps);

    expect(first.user.number).toBe(4242);
    expect(await deps.userNumbers.findUserId(4242)).toBe(first.user.id);
    expect(registered.number).toBe(4243);
    // Held already: the second account keeps its legacy id only as externalId.
    expect(second.user.number).toBeUndefined();
    expect((await deps.users.get(second.user.id))!.externalId).toBe('4243');
  });

  it('creates nothing when the legacy system refuses, and answers the usual 401', async () => {
    const account = legacyAccount();
    const { legacy, calls } = scriptedLegacy({ [account.email]: account });
    const deps = depsWith(legacy);

    const error = await failureOf(login({ login: account.email, password: 'not the password' }, deps));

    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(calls).toEqual([account.email]);
    expect(await deps.users.findByLogin(account.email)).toBeUndefined();
    expect(await deps.users.findByLogin(account.username)).toBeUndefined();
  });

  it('answers 503 (DependencyUnavailableError), not 401, when the legacy system is down, and creates nothing', async () => {
    const account = legacyAccount();
    const { legacy } = scriptedLegacy({ [account.email]: account }, true);
    const deps = depsWith(legacy);

    expect(await failureOf(login({ login: account.email, password: PASSWORD }, deps))).toBeInstanceOf(DependencyUnavailableError);
    expect(await deps.users.findByLogin(account.email)).toBeUndefined();
  });

  it("takes an outage's attempts back from the throttle: they lock nobody out, while a refusal still counts", async () => {
    const account = legacyAccount();
    const clock = testClock(START);
    const down = depsWith(scriptedLegacy({ [account.email]: account }, true).legacy, clock);
    const up = depsWith(scriptedLegacy({ [account.email]: account }).legacy, clock);
    const counter = () => down.throttles.loginCounter(nameSubject(account.email), hourOf(clock.now()));

    // More outage answers than LOGIN_MAX_FAILURES: the password was never judged, so none is a failure.
    for (let i = 0; i <= down.config.loginThrottle.maxFailures; i += 1) {
      expect(await failureOf(login({ login: account.email, password: PASSWORD }, down))).toBeInstanceOf(DependencyUnavailableError);
    }
    const afterOutage = await counter();
    const refused = await failureOf(login({ login: account.email, password: 'not the password' }, up));
    const afterRefusal = await counter();
    const back = await login({ login: account.email, password: PASSWORD }, up);

    expect(afterOutage?.failures ?? 0).toBe(0);
    expect(afterOutage?.dayFailures ?? 0).toBe(0);
    expect(refused).toBeInstanceOf(InvalidCredentialsError);
    expect(afterRefusal).toMatchObject({ failures: 1, dayFailures: 1 });
    expect(back.user.email).toBe(account.email);
  });

  it('never asks the legacy system from MIGRATE_UNTIL on', async () => {
    const account = legacyAccount();
    const { legacy, calls } = scriptedLegacy({ [account.email]: account });
    const clock = testClock(Date.parse(UNTIL));
    const deps = depsWith(legacy, clock);

    expect(await failureOf(login({ login: account.email, password: PASSWORD }, deps))).toBeInstanceOf(InvalidCredentialsError);
    expect(calls).toEqual([]);
    expect(await deps.users.findByLogin(account.email)).toBeUndefined();
  });

  it('refuses (401, and a warning without names) when a name of the legacy account belongs to another account here', async () => {
    const holder = await storedUser(depsWith(undefined), 'holder');
    const account = legacyAccount({ username: holder.username });
    const { legacy, calls } = scriptedLegacy({ [account.email]: account });
    const deps = depsWith(legacy);
    logs = captureLogs();

    const error = await failureOf(login({ login: account.email, password: PASSWORD }, deps));

    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(calls).toHaveLength(1);
    expect(await deps.users.findByLogin(account.email)).toBeUndefined();
    const warning = logs.lines.find((line) => String(line.message).startsWith('lazy migration:'));
    expect(warning).toMatchObject({ level: 'warn', dialect: 'tcap' });
    expect(JSON.stringify(logs.lines)).not.toContain(holder.username);
    expect(JSON.stringify(logs.lines)).not.toContain(PASSWORD);
  });

  it('gives an account imported without a hash the password the legacy system accepts', async () => {
    const deps0 = depsWith(undefined);
    const imported = await storedUser(deps0, 'imported', { passwordHash: UNUSABLE_PASSWORD_HASH, externalId: 'imp-1' });
    const other = await storedUser(deps0, 'imported', { passwordHash: UNUSABLE_PASSWORD_HASH, externalId: 'imp-2' });
    const { legacy } = scriptedLegacy({
      [imported.username]: legacyAccount({ username: imported.username, email: imported.email, externalId: 'imp-1' }),
      // The legacy system's account of this name is another one (its id differs): not this account.
      [other.username]: legacyAccount({ username: other.username, email: other.email, externalId: 'someone-else' }),
    });
    const deps = depsWith(legacy);

    // Without migration it is the usual 401.
    expect(await failureOf(login({ login: imported.username, password: PASSWORD }, deps0))).toBeInstanceOf(InvalidCredentialsError);
    const result = await login({ login: imported.username, password: PASSWORD }, deps);
    expect(await failureOf(login({ login: other.username, password: PASSWORD }, deps))).toBeInstanceOf(InvalidCredentialsError);

    expect(result.user.id).toBe(imported.id);
    expect((await deps.users.get(imported.id))!.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await deps.users.get(other.id))!.passwordHash).toBe(UNUSABLE_PASSWORD_HASH);
  });

  it('lets two concurrent first logins of one user both in, on one account', async () => {
    const account = legacyAccount({ externalId: '5151' });
    const { legacy, calls } = scriptedLegacy({ [account.email]: account });
    const deps = depsWith(legacy);

    const [a, b] = await Promise.all([
      login({ login: account.email, password: PASSWORD }, deps),
      login({ login: account.email, password: PASSWORD }, depsWith(legacy)),
    ]);

    expect(calls).toHaveLength(2);
    expect(a.user.id).toBe(b.user.id);
    expect((await deps.users.findByLogin(account.username))!.id).toBe(a.user.id);
  });

  it('answers every failed login no sooner than MIGRATE_FAILED_LOGIN_MIN_MS: unknown, refused by the legacy system, or a wrong password here', async () => {
    const migrated = legacyAccount();
    const refusedThere = legacyAccount();
    const { legacy } = scriptedLegacy({ [migrated.email]: migrated, [refusedThere.email]: refusedThere });
    const deps = depsWith(legacy);
    await login({ login: migrated.email, password: PASSWORD }, deps);

    const outcomes = [
      await timed(() => login({ login: `nobody_${randomUUID()}@example.com`, password: PASSWORD }, deps)),
      await timed(() => login({ login: refusedThere.email, password: 'wrong' }, deps)),
      await timed(() => login({ login: migrated.email, password: 'wrong' }, deps)),
    ];

    for (const { ms, error } of outcomes) {
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect(ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
    }
  });
});
