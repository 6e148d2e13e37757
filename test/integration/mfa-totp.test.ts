// TOTP and recovery codes on DynamoDB Local and local KMS, with a clock the test holds: the factor
// and challenge stores under races (two confirmations, one code twice, one token spent twice), a
// confirmation whose transaction fails (nothing half-done), the ±1 step window, step-up's age rule,
// a pending enrolment's expiry, and secrets at rest.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError, InvalidMfaCodeError, InvalidMfaTokenError, NotFoundError, StepUpRequiredError } from '../../lib/domain/errors.ts';
import { MFA_TOKEN_MAX_FAILURES, type SealedSecret } from '../../lib/domain/mfa.ts';
import type { User } from '../../lib/domain/user.ts';
import { hashRecoveryCode } from '../../lib/mfa/recovery-codes.ts';
import { totpCodeAt, totpStep } from '../../lib/mfa/totp.ts';
import { recoveryCodesKey, totpKey, userKey } from '../../lib/store/keys.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import type { Dependencies } from '../../lib/use-cases/dependencies.ts';
import { startSecondStep } from '../../lib/use-cases/mfa-challenges.ts';
import { verifySecondFactor } from '../../lib/use-cases/mfa-login.ts';
import { confirmTotpEnrolment, listFactors, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from '../../lib/use-cases/mfa-totp.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { type FaultInjector, injectFaults } from '../support/fault-injection.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

/** A time in the middle of a 30-second step, so ±1 step is exactly what the tests say. */
const START = Math.floor(Date.now() / 30_000) * 30_000 + 15_000;

let clock: TestClock;
let deps: Dependencies;

beforeAll(() => {
  clock = testClock(START);
  deps = testDependencies(clock);
});

/** How a bearer caller authenticated: a password `ageSeconds` ago (+ MFA when `mfa`). */
const signedIn = (ageSeconds = 0, mfa = false) => ({ authTime: toEpochSeconds(clock.now()) - ageSeconds, amr: mfa ? ['pwd', 'otp', 'mfa'] : ['pwd'] });

const item = async (key: { pk: string; sk: string }) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: key, ConsistentRead: true }))).Item;

/** A user with a confirmed authenticator; returns its secret and recovery codes. */
async function enrolled(prefix: string): Promise<{ user: User; secret: string; recoveryCodes: string[] }> {
  const user = await storedUser(deps, prefix);
  const { secret } = await startTotpEnrolment(user, deps, signedIn());
  const { recoveryCodes } = await confirmTotpEnrolment(user, totpCodeAt(secret, clock.now()), deps, signedIn());
  return { user, secret, recoveryCodes: recoveryCodes! };
}

describe('enrolment (use cases on DynamoDB Local and local KMS)', () => {
  afterEach(() => clock.set(START));

  it('stores the secret sealed, never in the clear; confirms within ±1 step; the first factor brings ten recovery codes', async () => {
    const user = await storedUser(deps, 'mfaenrol');
    const { secret, otpauthUri } = await startTotpEnrolment(user, deps, signedIn());
    expect(otpauthUri).toContain(`secret=${secret}`);
    // Prepare: a code two steps old is outside the window.
    await expect(confirmTotpEnrolment(user, totpCodeAt(secret, clock.now() - 60_000), deps, signedIn())).rejects.toBeInstanceOf(InvalidMfaCodeError);
    // Act: one step old is inside.
    const confirmed = await confirmTotpEnrolment(user, totpCodeAt(secret, clock.now() - 30_000), deps, signedIn());
    // Assess
    expect(confirmed.recoveryCodes).toHaveLength(10);
    const stored = await item(totpKey(user.id));
    expect(stored).toMatchObject({ type: 'mfaTotp', lastStep: totpStep(clock.now()) - 1 });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored!.ciphertext).toMatch(/^kms1\./);
    // The sealed secret opens only for its own user (KMS encryption context).
    const sealed: SealedSecret = { ciphertext: stored!.ciphertext, wrappedDataKey: stored!.wrappedDataKey };
    expect(await deps.totpSecrets.open(user.id, sealed)).toBe(secret);
    await expect(deps.totpSecrets.open('someone-else', sealed)).rejects.toThrow();
    expect((await item(userKey(user.id)))!.mfaTotp).toBe(true);
    const codes = await item(recoveryCodesKey(user.id));
    expect([...(codes!.unusedHashes as Set<string>)].sort()).toEqual(confirmed.recoveryCodes!.map((code) => hashRecoveryCode(user.id, code)).sort());
    expect(JSON.stringify([...(codes!.unusedHashes as Set<string>)])).not.toContain(confirmed.recoveryCodes![0]!.replace(/-/g, ''));
    expect((await listFactors(user, deps)).map((factor) => factor.type).sort()).toEqual(['recovery_codes', 'totp']);
  });

  it('a pending enrolment expires after 15 minutes', async () => {
    const user = await storedUser(deps, 'mfaexpire');
    const { secret } = await startTotpEnrolment(user, deps, signedIn());
    clock.advance(15 * 60 + 1);
    await expect(confirmTotpEnrolment(user, totpCodeAt(secret, clock.now()), deps, signedIn())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('step-up: the first factor needs a sign-in within STEP_UP_MAX_AGE; later changes need it with MFA', async () => {
    const fresh = await storedUser(deps, 'mfastepup');
    await expect(startTotpEnrolment(fresh, deps, signedIn(601))).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(startTotpEnrolment(fresh, deps, {})).rejects.toBeInstanceOf(StepUpRequiredError);
    const { user } = await enrolled('mfastepup2');
    await expect(removeTotp(user, deps, signedIn(0))).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(regenerateRecoveryCodes(user, deps, signedIn(0))).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(removeTotp(user, deps, signedIn(601, true))).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await regenerateRecoveryCodes(user, deps, signedIn(599, true))).toHaveLength(10);
    await removeTotp(user, deps, signedIn(599, true));
    expect(await item(totpKey(user.id))).toBeUndefined();
    expect((await item(userKey(user.id)))!.mfaTotp).toBeUndefined();
    // The last factor took the recovery codes with it.
    expect(await item(recoveryCodesKey(user.id))).toBeUndefined();
  });

  it('removing TOTP while passkeys remain keeps the recovery codes', async () => {
    const { user } = await enrolled('mfakeep');
    await updateStoredUser(deps, user.id, { passkeyCount: 1 });
    expect(await deps.mfaFactors.deleteTotp(user.id)).toBe(true);
    expect(await item(recoveryCodesKey(user.id))).toBeDefined();
    expect((await item(userKey(user.id)))!.passkeyCount).toBe(1);
    expect(await deps.mfaFactors.deleteTotp(user.id)).toBe(false);
  });
});

describe('races (one conditional write decides each)', () => {
  it('two confirmations of one enrolment: exactly one stores the factor and one set of recovery codes', async () => {
    const user = await storedUser(deps, 'mfarace');
    const { secret } = await startTotpEnrolment(user, deps, signedIn());
    const code = totpCodeAt(secret, clock.now());
    const outcomes = await Promise.allSettled([
      confirmTotpEnrolment({ ...user }, code, deps, signedIn()),
      confirmTotpEnrolment({ ...user }, code, deps, signedIn()),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const stored = await item(recoveryCodesKey(user.id));
    const winnerCodes = (won[0] as PromiseFulfilledResult<{ recoveryCodes?: string[] }>).value.recoveryCodes!;
    expect([...(stored!.unusedHashes as Set<string>)].sort()).toEqual(winnerCodes.map((c) => hashRecoveryCode(user.id, c)).sort());
    const lost = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: expect.stringMatching(/^(conflict|not_found)$/) });
  });

  it('one time step is accepted once, however many requests race with it (RFC 6238 §5.2)', async () => {
    const { user } = await enrolled('mfastep');
    const step = totpStep(clock.now()) + 1;
    const results = await Promise.all(Array.from({ length: 8 }, () => deps.mfaFactors.useTotpStep(user.id, step, clock.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    // An earlier step after a later one: refused too.
    expect(await deps.mfaFactors.useTotpStep(user.id, step - 1, clock.now())).toBe(false);
  });

  it('the same code in two logins at once: one signs in, the other is refused as a replay', async () => {
    const { user, secret } = await enrolled('mfatwice');
    const fullUser = (await deps.users.get(user.id))!;
    const tokens = await Promise.all([startSecondStep(fullUser, 'second_factor', deps), startSecondStep(fullUser, 'second_factor', deps)]);
    const code = totpCodeAt(secret, clock.now() + 30_000);
    const outcomes = await Promise.allSettled(tokens.map((token) => verifySecondFactor(token, { code }, deps)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InvalidMfaCodeError);
  });

  it('one recovery code raced by several logins is spent once', async () => {
    const { user, recoveryCodes } = await enrolled('mfarecrace');
    const hash = hashRecoveryCode(user.id, recoveryCodes[3]!);
    const results = await Promise.all(Array.from({ length: 6 }, () => deps.mfaFactors.useRecoveryCode(user.id, hash, clock.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await deps.mfaFactors.getRecoveryCodes(user.id))!.unusedHashes).toHaveLength(9);
  });

  it('an mfa_token raced by consumers is spent once; racing wrong codes count at most five', async () => {
    const user = await storedUser(deps, 'mfachallenge');
    const spent = sha256(await startSecondStep(user, 'second_factor', deps));
    const consumed = await Promise.all(Array.from({ length: 6 }, () => deps.mfaChallenges.consume(spent)));
    expect(consumed.filter(Boolean)).toHaveLength(1);
    expect(await deps.mfaChallenges.get(spent)).toBeUndefined();

    const guessed = sha256(await startSecondStep(user, 'second_factor', deps));
    const failures = await Promise.all(Array.from({ length: 9 }, () => deps.mfaChallenges.recordFailure(guessed)));
    expect(failures.filter((count) => count !== undefined).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await deps.mfaChallenges.consume(guessed)).toBe(false);
    expect((await deps.mfaChallenges.get(guessed))!.failures).toBe(MFA_TOKEN_MAX_FAILURES);
  });
});

describe('the second step (use case, frozen clock)', () => {
  it('an mfa_token expires after 5 minutes, and dies with a password change', async () => {
    const { user, secret } = await enrolled('mfattl');
    const fullUser = (await deps.users.get(user.id))!;
    const token = await startSecondStep(fullUser, 'second_factor', deps);
    clock.advance(301);
    await expect(verifySecondFactor(token, { code: totpCodeAt(secret, clock.now()) }, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);
    clock.set(START);
    const another = await startSecondStep(fullUser, 'second_factor', deps);
    await deps.users.replacePasswordHash(user.id, fullUser.passwordHash, 'a-new-hash');
    await expect(verifySecondFactor(another, { code: totpCodeAt(secret, clock.now() + 30_000) }, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);
  });

  it('a recovery code signs in once; the wrong method is a 400 naming the field', async () => {
    const { user, recoveryCodes } = await enrolled('mfarec');
    const fullUser = (await deps.users.get(user.id))!;
    const first = await verifySecondFactor(await startSecondStep(fullUser, 'second_factor', deps), { recoveryCode: recoveryCodes[0]! }, deps);
    expect(first.authentication).toEqual({ authTime: toEpochSeconds(clock.now()), amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    const token = await startSecondStep(fullUser, 'second_factor', deps);
    await expect(verifySecondFactor(token, { recoveryCode: recoveryCodes[0]! }, deps)).rejects.toMatchObject({
      code: 'invalid_mfa_code',
      members: { attempts_left: 4 },
    });
    await expect(verifySecondFactor(token, { recoveryCode: 'nope' }, deps)).rejects.toMatchObject({
      code: 'invalid_request',
      errors: [{ field: 'recovery_code' }],
    });
    // A user without an authenticator app asked for a TOTP code.
    await updateStoredUser(deps, user.id, { mfaTotp: false, passkeyCount: 1 });
    const noApp = await startSecondStep(fullUser, 'second_factor', deps);
    await expect(verifySecondFactor(noApp, { code: '123456' }, deps)).rejects.toMatchObject({ code: 'invalid_request', errors: [{ field: 'code' }] });
  });
});

describe('a confirmation whose transaction fails (injected DynamoDB faults)', () => {
  let faults: FaultInjector;
  let faultyDeps: Dependencies;

  beforeAll(() => {
    faultyDeps = testDependencies(clock);
    faults = injectFaults(faultyDeps.db);
  });
  afterEach(() => faults.clear());

  it('leaves nothing half-done: no factor, no codes, the profile unchanged, the enrolment still pending; a retry then works', async () => {
    const user = await storedUser(faultyDeps, 'mfafault');
    const { secret } = await startTotpEnrolment(user, faultyDeps, signedIn());
    faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });

    await expect(confirmTotpEnrolment({ ...user }, totpCodeAt(secret, clock.now()), faultyDeps, signedIn())).rejects.toBeInstanceOf(DependencyUnavailableError);

    faults.clear();
    expect(await item(totpKey(user.id))).toBeUndefined();
    expect(await item(recoveryCodesKey(user.id))).toBeUndefined();
    expect((await item(userKey(user.id)))!.mfaTotp).toBeUndefined();
    const { Items } = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :mfa)',
        ExpressionAttributeValues: { ':pk': userKey(user.id).pk, ':mfa': 'MFA' },
        ConsistentRead: true,
      }),
    );
    expect(Items!.map((stored) => stored.type)).toEqual(['mfaPendingTotp']);
    const retried = await confirmTotpEnrolment({ ...user }, totpCodeAt(secret, clock.now()), faultyDeps, signedIn());
    expect(retried.recoveryCodes).toHaveLength(10);
    expect((await item(userKey(user.id)))!.mfaTotp).toBe(true);
  });

  it('a regeneration that fails keeps the old codes working', async () => {
    const { user, recoveryCodes } = await enrolled('mfafaultregen');
    faults.inject({ fault: 'internal-error', command: 'PutItem' });
    await expect(regenerateRecoveryCodes({ ...user, mfaTotp: true }, faultyDeps, signedIn(0, true))).rejects.toBeInstanceOf(DependencyUnavailableError);
    faults.clear();
    expect(await deps.mfaFactors.useRecoveryCode(user.id, hashRecoveryCode(user.id, recoveryCodes[0]!), clock.now())).toBe(true);
  });
});
