// The passkey and WebAuthn ceremony stores against DynamoDB Local: a credential id belongs to one
// account, the profile's passkeyCount and the first factor's recovery codes move in the same
// transaction, counters are recorded by one conditional write (racing assertions: one wins), and a
// challenge (a ceremony's, or an mfa_token's) is taken at most once, also when raced.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Passkey } from '../../lib/domain/mfa.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { startSecondStep } from '../../lib/use-cases/mfa-challenges.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 30, 3, 0, 0);
const deps = testDependencies(testClock(START));

function passkeyOf(userId: string, overrides: Partial<Passkey> = {}): Passkey {
  return {
    credentialId: randomBytes(16).toString('base64url'),
    userId,
    name: 'Laptop',
    publicKey: randomBytes(77).toString('base64url'),
    counter: 0,
    transports: ['internal'],
    deviceType: 'singleDevice',
    backedUp: false,
    createdAt: START,
    ...overrides,
  };
}

const countOf = async (userId: string) => (await deps.users.get(userId))?.passkeyCount ?? 0;

describe('the passkey store', () => {
  it('stores a first passkey with its recovery codes and the profile count, and finds it by credential id', async () => {
    const user = await storedUser(deps, 'pks');
    const passkey = passkeyOf(user.id, { aaguid: 'adce0002-35bc-c60a-648b-0b25f1f05503', counter: 3 });
    expect(await deps.passkeys.add(passkey, ['h1', 'h2'])).toBe(true);

    expect(await deps.passkeys.get(passkey.credentialId)).toEqual(passkey);
    expect(await deps.passkeys.list(user.id)).toEqual([passkey]);
    expect(await countOf(user.id)).toBe(1);
    expect((await deps.mfaFactors.getRecoveryCodes(user.id))?.unusedHashes.sort()).toEqual(['h1', 'h2']);
    expect((await deps.mfaFactors.listFactors(user.id)).map((factor) => factor.type).sort()).toEqual(['recovery_codes', 'webauthn']);
  });

  it('refuses a credential id registered before, to this account or another (WebAuthn §7.1 step 26), changing nothing', async () => {
    const [owner, other] = await Promise.all([storedUser(deps, 'pko'), storedUser(deps, 'pkx')]);
    const passkey = passkeyOf(owner.id);
    expect(await deps.passkeys.add(passkey)).toBe(true);

    expect(await deps.passkeys.add({ ...passkey, userId: other.id }, ['h'])).toBe(false);
    expect(await deps.passkeys.add({ ...passkey, name: 'again' })).toBe(false);
    expect(await countOf(other.id)).toBe(0);
    expect(await countOf(owner.id)).toBe(1);
    expect(await deps.passkeys.list(other.id)).toEqual([]);
    expect(await deps.mfaFactors.getRecoveryCodes(other.id)).toBeUndefined();
    expect((await deps.passkeys.get(passkey.credentialId))?.userId).toBe(owner.id);
  });

  it('lets one of two accounts registering one credential id at once have it', async () => {
    const users = await Promise.all([storedUser(deps, 'pkr'), storedUser(deps, 'pkr')]);
    const credentialId = randomBytes(16).toString('base64url');
    const outcomes = await Promise.all(users.map((user) => deps.passkeys.add(passkeyOf(user.id, { credentialId }))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = users[outcomes.indexOf(true)]!;
    expect((await deps.passkeys.get(credentialId))?.userId).toBe(winner.id);
    expect((await Promise.all(users.map((user) => countOf(user.id)))).sort()).toEqual([0, 1]);
  });

  it('gives one of two first factors added at once the recovery codes; the other is refused until added as a further factor', async () => {
    const user = await storedUser(deps, 'pkf');
    const [a, b] = [passkeyOf(user.id), passkeyOf(user.id)];
    const outcomes = await Promise.all([deps.passkeys.add(a, ['a1']), deps.passkeys.add(b, ['b1'])]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = outcomes[0] ? [a, b] : [b, a];
    expect((await deps.mfaFactors.getRecoveryCodes(user.id))?.unusedHashes).toEqual([winner === a ? 'a1' : 'b1']);
    expect(await deps.passkeys.get(loser.credentialId)).toBeUndefined();

    expect(await deps.passkeys.add(loser)).toBe(true);
    expect(await countOf(user.id)).toBe(2);
    expect((await deps.mfaFactors.getRecoveryCodes(user.id))?.unusedHashes).toEqual([winner === a ? 'a1' : 'b1']);
  });

  it('records a use only against the counter it was verified with: of two racing assertions, one wins', async () => {
    const user = await storedUser(deps, 'pku');
    const passkey = passkeyOf(user.id, { counter: 5 });
    await deps.passkeys.add(passkey);

    const outcomes = await Promise.all([
      deps.passkeys.recordUse(passkey.credentialId, 5, { counter: 6, backedUp: false, now: START + 1000 }),
      deps.passkeys.recordUse(passkey.credentialId, 5, { counter: 7, backedUp: true, now: START + 2000 }),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const stored = await deps.passkeys.get(passkey.credentialId);
    expect(stored).toMatchObject(
      outcomes[0] ? { counter: 6, backedUp: false, lastUsedAt: START + 1000 } : { counter: 7, backedUp: true, lastUsedAt: START + 2000 },
    );

    // A stale counter (an assertion verified before the other was recorded) is refused.
    expect(await deps.passkeys.recordUse(passkey.credentialId, 5, { counter: 8, backedUp: false, now: START })).toBe(false);
    expect(await deps.passkeys.recordUse(randomBytes(16).toString('base64url'), 0, { counter: 1, backedUp: false, now: START })).toBe(false);
  });

  it("removes a passkey only for its owner, with its lookup and the profile count; another user's id is refused", async () => {
    const [owner, other] = await Promise.all([storedUser(deps, 'pkd'), storedUser(deps, 'pkd')]);
    const [first, second] = [passkeyOf(owner.id), passkeyOf(owner.id)];
    await deps.passkeys.add(first);
    await deps.passkeys.add(second);
    expect(await countOf(owner.id)).toBe(2);

    expect(await deps.passkeys.remove(other.id, first.credentialId)).toBe(false);
    expect(await deps.passkeys.get(first.credentialId)).toBeDefined();

    expect(await deps.passkeys.remove(owner.id, first.credentialId)).toBe(true);
    expect(await deps.passkeys.get(first.credentialId)).toBeUndefined();
    expect(await deps.passkeys.list(owner.id)).toEqual([second]);
    expect(await countOf(owner.id)).toBe(1);
    expect(await deps.passkeys.remove(owner.id, first.credentialId)).toBe(false);
    expect(await countOf(owner.id)).toBe(1);

    // Two removals of the last passkey at once: one, and the count never goes below zero.
    const outcomes = await Promise.all([deps.passkeys.remove(owner.id, second.credentialId), deps.passkeys.remove(owner.id, second.credentialId)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await countOf(owner.id)).toBe(0);
  });

  it('takes the recovery codes with the last factor, and leaves them while a TOTP or another passkey remains', async () => {
    const user = await storedUser(deps, 'pkl');
    const [first, second] = [passkeyOf(user.id), passkeyOf(user.id)];
    await deps.passkeys.add(first, ['h1']);
    await deps.passkeys.add(second);
    expect(await deps.passkeys.remove(user.id, first.credentialId)).toBe(true);
    expect((await deps.mfaFactors.getRecoveryCodes(user.id))?.unusedHashes).toEqual(['h1']);
    expect(await deps.passkeys.remove(user.id, second.credentialId)).toBe(true);
    expect(await deps.mfaFactors.getRecoveryCodes(user.id)).toBeUndefined();
    expect(await deps.mfaFactors.listFactors(user.id)).toEqual([]);

    const withTotp = await storedUser(deps, 'pkl', { mfaTotp: true });
    const only = passkeyOf(withTotp.id);
    await deps.passkeys.add(only);
    await deps.mfaFactors.replaceRecoveryCodes(withTotp.id, ['t1'], START);
    expect(await deps.passkeys.remove(withTotp.id, only.credentialId)).toBe(true);
    expect((await deps.mfaFactors.getRecoveryCodes(withTotp.id))?.unusedHashes).toEqual(['t1']);
    expect((await deps.users.get(withTotp.id))?.passkeyCount ?? 0).toBe(0);
  });
});

describe('the WebAuthn ceremony store', () => {
  const ceremony = (kind: 'registration' | 'authentication') => ({
    ceremonyId: randomUUID(),
    kind,
    challenge: randomBytes(32).toString('base64url'),
    expiresAt: Math.floor(START / 1000) + 300,
  });

  it('gives a challenge to one taker only, even when raced (answered at most once, §13.4.3)', async () => {
    const pending = ceremony('authentication');
    await deps.webauthnCeremonies.create(pending);
    const taken = await Promise.all([1, 2, 3].map(() => deps.webauthnCeremonies.take(pending.ceremonyId, 'authentication')));
    expect(taken.filter(Boolean)).toEqual([pending]);
    expect(await deps.webauthnCeremonies.take(pending.ceremonyId, 'authentication')).toBeUndefined();
  });

  it('keeps a ceremony asked for as the other kind, and replaces a registration by a newer one', async () => {
    const pending = { ...ceremony('registration'), userId: randomUUID() };
    await deps.webauthnCeremonies.create(pending);
    expect(await deps.webauthnCeremonies.take(pending.ceremonyId, 'authentication')).toBeUndefined();

    const newer = { ...pending, challenge: randomBytes(32).toString('base64url') };
    await deps.webauthnCeremonies.create(newer);
    expect(await deps.webauthnCeremonies.take(pending.ceremonyId, 'registration')).toEqual(newer);
  });

  it("takes an mfa_token's WebAuthn challenge once, even when raced; a spent token has none to give", async () => {
    const user = await storedUser(deps, 'pkc');
    const token = await startSecondStep(user, 'second_factor', deps);
    const tokenHash = sha256(token);
    expect(await deps.mfaChallenges.takeWebauthnChallenge(tokenHash)).toBeUndefined();

    expect(await deps.mfaChallenges.setWebauthnChallenge(tokenHash, 'challenge-1')).toBe(true);
    const taken = await Promise.all([1, 2, 3].map(() => deps.mfaChallenges.takeWebauthnChallenge(tokenHash)));
    expect(taken.filter(Boolean)).toEqual(['challenge-1']);
    expect((await deps.mfaChallenges.get(tokenHash))?.webauthnChallenge).toBeUndefined();

    expect(await deps.mfaChallenges.setWebauthnChallenge(tokenHash, 'challenge-2')).toBe(true);
    expect(await deps.mfaChallenges.consume(tokenHash)).toBe(true);
    expect(await deps.mfaChallenges.takeWebauthnChallenge(tokenHash)).toBeUndefined();
    expect(await deps.mfaChallenges.setWebauthnChallenge(tokenHash, 'challenge-3')).toBe(false);
  });
});
