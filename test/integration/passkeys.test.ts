// The passkey use cases on DynamoDB Local with a software authenticator (test/support/
// soft-authenticator.ts) and a frozen clock: registration (several named passkeys, recovery codes
// on the first factor, step-up), sign-in as the second factor and passwordless, the signature
// counter (a cloned authenticator refused), one-time challenges, and malformed responses refused as
// 400s naming the member. Chromium's virtual authenticator does the same end to end in
// test/browser/passkeys.test.ts.
import { describe, expect, it } from 'vitest';
import { AMR } from '../../lib/domain/authentication.ts';
import {
  ConflictError,
  InvalidCredentialsError,
  InvalidMfaCodeError,
  InvalidMfaTokenError,
  NotFoundError,
  StepUpRequiredError,
  ValidationError,
} from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { startSecondStep } from '../../lib/use-cases/mfa-challenges.ts';
import { passkeyLoginOptions, verifyPasskeyLogin } from '../../lib/use-cases/passkey-login.ts';
import { finishPasskeyEnrolment, openPasskeyEnrolment, passkeyRegistrationOptions, registerPasskey, removePasskey } from '../../lib/use-cases/passkeys.ts';
import type { RecentAuthentication } from '../../lib/use-cases/step-up.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { storedUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 30, 3, 0, 0);
const clock = testClock(START);
const deps = testDependencies(clock);
const origin = new URL(stackEnv().PUBLIC_URL!).origin;
const rpId = new URL(origin).hostname;

const now = () => toEpochSeconds(clock.now());
/** A password sign-in just now; with the second factor too when `mfa`. */
const recent = (mfa = false): RecentAuthentication => ({ authTime: now(), amr: mfa ? [AMR.pwd, AMR.hwk, AMR.mfa] : [AMR.pwd] });

const fresh = async (prefix: string) => deps.users.get((await storedUser(deps, prefix)).id) as Promise<User>;

/** Registers a passkey on `authenticator` for `user` (re-read, so its factor count is current). */
async function enrol(user: User, authenticator: SoftAuthenticator, name = 'Laptop', how = recent(user.passkeyCount !== undefined && user.passkeyCount > 0)) {
  const current = (await deps.users.get(user.id))!;
  const options = await passkeyRegistrationOptions(current, deps, how);
  return registerPasskey(current, { name, response: authenticator.register(options) }, deps, how);
}

const errorFields = (error: unknown) => (error as ValidationError).errors?.map((e) => e.field);

describe('registering passkeys', () => {
  it('registers a first passkey with the options WebAuthn asks for, its counter and flags, and the recovery codes', async () => {
    const user = await fresh('pkreg');
    const options = await passkeyRegistrationOptions(user, deps, recent());
    expect(options).toMatchObject({
      rp: { id: rpId },
      user: { name: user.username },
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    const authenticator = new SoftAuthenticator({ origin, rpId, synced: true });
    const { passkey, recoveryCodes } = await registerPasskey(user, { name: '  Phone ', response: authenticator.register(options) }, deps, recent());

    expect(recoveryCodes).toHaveLength(10);
    expect(passkey).toMatchObject({ userId: user.id, name: 'Phone', counter: 1, deviceType: 'multiDevice', backedUp: true, transports: ['internal'] });
    expect(await deps.passkeys.get(passkey.credentialId)).toEqual(passkey);
    expect((await deps.users.get(user.id))?.passkeyCount).toBe(1);
  });

  it('registers several named passkeys (excluding the ones there), a further one only after a recent MFA', async () => {
    const user = await fresh('pkmany');
    const first = await enrol(user, new SoftAuthenticator({ origin, rpId }), 'Laptop');
    const current = (await deps.users.get(user.id))!;

    // The password alone no longer does: the account has a factor (step-up).
    await expect(passkeyRegistrationOptions(current, deps, recent(false))).rejects.toBeInstanceOf(StepUpRequiredError);
    const options = await passkeyRegistrationOptions(current, deps, recent(true));
    expect(options.excludeCredentials).toEqual([expect.objectContaining({ id: first.passkey.credentialId })]);
    const second = await registerPasskey(current, { name: 'Key', response: new SoftAuthenticator({ origin, rpId }).register(options) }, deps, recent(true));
    expect(second.recoveryCodes).toBeUndefined();
    expect((await deps.passkeys.list(user.id)).map((p) => p.name).sort()).toEqual(['Key', 'Laptop']);

    // An MFA that is too old does not do either.
    clock.advance(deps.config.mfa.stepUpMaxAgeSeconds + 1);
    await expect(
      passkeyRegistrationOptions(current, deps, { authTime: now() - deps.config.mfa.stepUpMaxAgeSeconds - 1, amr: [AMR.pwd, AMR.mfa] }),
    ).rejects.toBeInstanceOf(StepUpRequiredError);
  });

  it('answers each challenge once, and only from an allowed origin', async () => {
    const user = await fresh('pkonce');
    const authenticator = new SoftAuthenticator({ origin, rpId });
    const options = await passkeyRegistrationOptions(user, deps, recent());
    const response = authenticator.register(options);
    await registerPasskey(user, { name: 'Laptop', response }, deps, recent());
    // The same response again: its challenge was taken.
    const again = registerPasskey((await deps.users.get(user.id))!, { name: 'Laptop', response }, deps, recent(true));
    await expect(again).rejects.toBeInstanceOf(ValidationError);

    const other = await fresh('pkorigin');
    const otherOptions = await passkeyRegistrationOptions(other, deps, recent());
    const elsewhere = new SoftAuthenticator({ origin, rpId }).register(otherOptions, { origin: 'https://evil.example' });
    const refused = await registerPasskey(other, { name: 'x', response: elsewhere }, deps, recent()).catch((error) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(errorFields(refused)).toEqual(['response']);
    expect(await deps.passkeys.list(other.id)).toEqual([]);
  });

  it('refuses a malformed response with a 400 naming the member, before taking the challenge', async () => {
    const user = await fresh('pkbad');
    const options = await passkeyRegistrationOptions(user, deps, recent());
    const good = new SoftAuthenticator({ origin, rpId }).register(options);
    const cases: [unknown, string[]][] = [
      ['a string', ['response']],
      [[good], ['response']],
      [{ ...good, rawId: 'AAAA' }, ['response.rawId']],
      [{ ...good, type: 'password' }, ['response.type']],
      [{ ...good, response: 'x' }, ['response.response']],
      [{ ...good, response: { ...good.response, attestationObject: 'not!base64' } }, ['response.response.attestationObject']],
      [{ ...good, response: { ...good.response, attestationObject: 'AAAA' } }, ['response.response.attestationObject']],
      [{ ...good, response: { ...good.response, clientDataJSON: Buffer.from('[1]').toString('base64url') } }, ['response.response.clientDataJSON']],
      [{ ...good, response: { ...good.response, transports: 'usb' } }, ['response.response.transports']],
    ];
    for (const [response, fields] of cases) {
      const error = await registerPasskey(user, { name: 'x', response }, deps, recent()).catch((e) => e);
      expect(error, JSON.stringify(response).slice(0, 80)).toBeInstanceOf(ValidationError);
      expect(errorFields(error)).toEqual(fields);
    }
    const unnamed = await registerPasskey(user, { name: '   ', response: good }, deps, recent()).catch((e) => e);
    expect(errorFields(unnamed)).toEqual(['name']);
    // The challenge is still pending: the good response registers.
    await expect(registerPasskey(user, { name: 'Laptop', response: good }, deps, recent())).resolves.toBeTruthy();
  });

  it("removes a passkey after a recent MFA; another user's or an unknown one is a 404", async () => {
    const owner = await fresh('pkrm');
    const { passkey } = await enrol(owner, new SoftAuthenticator({ origin, rpId }));
    const current = (await deps.users.get(owner.id))!;
    const stranger = await fresh('pkrm');

    await expect(removePasskey(current, passkey.credentialId, deps, recent(false))).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(removePasskey(stranger, passkey.credentialId, deps, recent())).rejects.toBeInstanceOf(NotFoundError);
    await expect(removePasskey(current, 'not a credential id!', deps, recent(true))).rejects.toBeInstanceOf(NotFoundError);
    await removePasskey(current, passkey.credentialId, deps, recent(true));
    expect(await deps.passkeys.list(owner.id)).toEqual([]);
    await expect(removePasskey(current, passkey.credentialId, deps, recent(true))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets one of two registrations of one credential at once have it (409 for the other)', async () => {
    const user = await fresh('pkdup');
    const authenticator = new SoftAuthenticator({ origin, rpId });
    await enrol(user, authenticator);
    // Two accounts cannot hold one credential: simulate a second account answering with the same attestation.
    const other = await fresh('pkdup');
    const options = await passkeyRegistrationOptions(other, deps, recent());
    const response = authenticator.register(options);
    const credential = authenticator.credentials.at(-1)!;
    await deps.passkeys.add({
      credentialId: credential.id.toString('base64url'),
      userId: user.id,
      name: 'planted',
      publicKey: 'x',
      counter: 0,
      transports: [],
      deviceType: 'singleDevice',
      backedUp: false,
      createdAt: START,
    });
    await expect(registerPasskey(other, { name: 'mine', response }, deps, recent())).rejects.toBeInstanceOf(ConflictError);
    expect((await deps.users.get(other.id))?.passkeyCount ?? 0).toBe(0);
  });
});

describe('enrolling a passkey at login (MFA_POLICY=required)', () => {
  it('registers with the enrolment mfa_token, then spends it: amr pwd+hwk+mfa; a second-factor token does not enrol', async () => {
    const user = await fresh('pkenrol');
    const mfaToken = await startSecondStep(user, 'enrollment', deps);
    const enrolment = await openPasskeyEnrolment(mfaToken, deps);
    expect(enrolment.user.id).toBe(user.id);

    const authenticator = new SoftAuthenticator({ origin, rpId });
    const options = await passkeyRegistrationOptions(enrolment.user, deps, enrolment.recent);
    const { passkey, recoveryCodes } = await registerPasskey(
      enrolment.user,
      { name: 'Laptop', response: authenticator.register(options) },
      deps,
      enrolment.recent,
    );
    expect(recoveryCodes).toHaveLength(10);
    expect(await finishPasskeyEnrolment(enrolment, passkey, deps)).toEqual({ authTime: now(), amr: ['pwd', 'hwk', 'mfa'], acr: 'aal2' });
    await expect(finishPasskeyEnrolment(enrolment, passkey, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);
    await expect(openPasskeyEnrolment(mfaToken, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);

    const secondFactorToken = await startSecondStep((await deps.users.get(user.id))!, 'second_factor', deps);
    await expect(openPasskeyEnrolment(secondFactorToken, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);
  });
});

describe('signing in with a passkey', () => {
  async function userWithPasskey(prefix: string, authenticator = new SoftAuthenticator({ origin, rpId })) {
    const user = await fresh(prefix);
    const { passkey } = await enrol(user, authenticator);
    return { user: (await deps.users.get(user.id))!, passkey, authenticator };
  }

  it('as the second factor: options for the user’s passkeys, amr pwd+hwk+mfa, the counter stored, the token spent', async () => {
    const { user, passkey, authenticator } = await userWithPasskey('pk2fa');
    const mfaToken = await startSecondStep(user, 'second_factor', deps);
    const { ceremonyId, options } = await passkeyLoginOptions({ mfaToken }, deps);
    expect(ceremonyId).toBeUndefined();
    expect(options).toMatchObject({ rpId, userVerification: 'preferred', allowCredentials: [{ id: passkey.credentialId, type: 'public-key' }] });

    clock.advance(5);
    const signedIn = await verifyPasskeyLogin({ mfaToken, response: authenticator.assert(options.challenge) }, deps);
    expect(signedIn.user.id).toBe(user.id);
    expect(signedIn.authentication).toEqual({ authTime: now(), amr: ['pwd', 'hwk', 'mfa'], acr: 'aal2' });
    expect(await deps.passkeys.get(passkey.credentialId)).toMatchObject({ counter: 2, lastUsedAt: clock.now() });

    // The token is spent: asking again or answering again is refused.
    await expect(passkeyLoginOptions({ mfaToken }, deps)).rejects.toBeInstanceOf(InvalidMfaTokenError);
  });

  it('as the second factor: a wrong answer counts against the token and leaves no challenge to retry with', async () => {
    const { user, authenticator } = await userWithPasskey('pk2bad');
    const stranger = await userWithPasskey('pk2str');
    const mfaToken = await startSecondStep(user, 'second_factor', deps);
    const { options } = await passkeyLoginOptions({ mfaToken }, deps);
    // Another account's passkey (allowCredentials names only the user's; §7.2 step 5).
    const refused = await verifyPasskeyLogin({ mfaToken, response: stranger.authenticator.assert(options.challenge) }, deps).catch((e) => e);
    expect(refused).toBeInstanceOf(InvalidMfaCodeError);
    expect(refused.members).toEqual({ attempts_left: 4 });
    // The challenge was answered: the right passkey now needs new options.
    const late = await verifyPasskeyLogin({ mfaToken, response: authenticator.assert(options.challenge) }, deps).catch((e) => e);
    expect(late).toBeInstanceOf(ValidationError);
    expect(errorFields(late)).toEqual(['mfa_token']);
    const next = await passkeyLoginOptions({ mfaToken }, deps);
    await expect(verifyPasskeyLogin({ mfaToken, response: authenticator.assert(next.options.challenge) }, deps)).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it('passwordless: discoverable, user verification required, amr hwk|swk+user+mfa, each ceremony answered once', async () => {
    const { user, passkey, authenticator } = await userWithPasskey('pkpwl', new SoftAuthenticator({ origin, rpId, synced: true, counts: false }));
    const { ceremonyId, options } = await passkeyLoginOptions({}, deps);
    expect(ceremonyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(options).toMatchObject({ rpId, userVerification: 'required', allowCredentials: [] });

    const response = authenticator.assert(options.challenge);
    const signedIn = await verifyPasskeyLogin({ ceremonyId, response }, deps);
    expect(signedIn.user.id).toBe(user.id);
    expect(signedIn.authentication).toEqual({ authTime: now(), amr: ['swk', 'user', 'mfa'], acr: 'aal2' });
    // A counter that stays 0 (synced passkeys) is no sign of a clone.
    expect(await deps.passkeys.get(passkey.credentialId)).toMatchObject({ counter: 0, backedUp: true });

    const replay = await verifyPasskeyLogin({ ceremonyId, response }, deps).catch((e) => e);
    expect(errorFields(replay)).toEqual(['ceremony_id']);
  });

  it('passwordless: refuses no user verification, an unknown credential, and an expired ceremony', async () => {
    const careless = new SoftAuthenticator({ origin, rpId, userVerified: false });
    await userWithPasskey('pkuv', careless);
    const first = await passkeyLoginOptions({}, deps);
    await expect(verifyPasskeyLogin({ ceremonyId: first.ceremonyId, response: careless.assert(first.options.challenge) }, deps)).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );

    const unknown = new SoftAuthenticator({ origin, rpId });
    unknown.register({ challenge: 'x', user: { id: 'nobody' } });
    const second = await passkeyLoginOptions({}, deps);
    await expect(verifyPasskeyLogin({ ceremonyId: second.ceremonyId, response: unknown.assert(second.options.challenge) }, deps)).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );

    const { authenticator } = await userWithPasskey('pkexp');
    const third = await passkeyLoginOptions({}, deps);
    clock.advance(301);
    const expired = await verifyPasskeyLogin({ ceremonyId: third.ceremonyId, response: authenticator.assert(third.options.challenge) }, deps).catch((e) => e);
    expect(errorFields(expired)).toEqual(['ceremony_id']);
  });

  it('refuses a cloned authenticator whose counter went backwards (§6.1.1), and then still takes the real one', async () => {
    const { authenticator, passkey } = await userWithPasskey('pkclone');
    const real = authenticator.credentials[0]!;
    const first = await passkeyLoginOptions({}, deps);
    await verifyPasskeyLogin({ ceremonyId: first.ceremonyId, response: authenticator.assert(first.options.challenge, real) }, deps);
    expect((await deps.passkeys.get(passkey.credentialId))?.counter).toBe(2);

    // The clone was copied when the counter was 0: its next assertion says 1, not above the stored 2.
    const clone = authenticator.clone(real, 0);
    const second = await passkeyLoginOptions({}, deps);
    await expect(
      verifyPasskeyLogin({ ceremonyId: second.ceremonyId, response: authenticator.assert(second.options.challenge, clone) }, deps),
    ).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect((await deps.passkeys.get(passkey.credentialId))?.counter).toBe(2);

    const third = await passkeyLoginOptions({}, deps);
    await expect(
      verifyPasskeyLogin({ ceremonyId: third.ceremonyId, response: authenticator.assert(third.options.challenge, real) }, deps),
    ).resolves.toBeTruthy();
  });

  it('refuses malformed assertions as 400s naming the member, and a body with both or neither of mfa_token and ceremony_id', async () => {
    const { authenticator } = await userWithPasskey('pkmal');
    const { ceremonyId, options } = await passkeyLoginOptions({}, deps);
    const good = authenticator.assert(options.challenge);
    const cases: [unknown, string[]][] = [
      [null, ['response']],
      [{ ...good, response: { ...good.response, authenticatorData: 'AA' } }, ['response.response.authenticatorData']],
      [{ ...good, response: { ...good.response, signature: 42 } }, ['response.response.signature']],
      [{ ...good, response: { ...good.response, userHandle: '***' } }, ['response.response.userHandle']],
      [{ ...good, id: '' }, ['response.id']],
    ];
    for (const [response, fields] of cases) {
      const error = await verifyPasskeyLogin({ ceremonyId, response }, deps).catch((e) => e);
      expect(error, JSON.stringify(response)?.slice(0, 80)).toBeInstanceOf(ValidationError);
      expect(errorFields(error)).toEqual(fields);
    }
    await expect(verifyPasskeyLogin({ response: good }, deps)).rejects.toBeInstanceOf(ValidationError);
    await expect(verifyPasskeyLogin({ ceremonyId, mfaToken: 'x', response: good }, deps)).rejects.toBeInstanceOf(ValidationError);
    // The ceremony was not spent by the malformed ones.
    await expect(verifyPasskeyLogin({ ceremonyId, response: good }, deps)).resolves.toBeTruthy();
  });
});
