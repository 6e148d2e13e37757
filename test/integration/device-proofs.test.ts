// Device proofs against DynamoDB Local with a frozen clock (OWASP's device cookies): the owner
// who shows the proof of an earlier login still gets in while an attacker has locked out every
// client without one; a tampered, another user's, an expired or a revoked proof counts as none;
// a device locks after LOGIN_MAX_FAILURES failures shown with its proof; and a proof is never an
// access token, nor an access token a proof.
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidCredentialsError, InvalidTokenError, TooManyRequestsError } from '../../lib/domain/errors.ts';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { readDeviceProof } from '../../lib/tokens/device-proofs.ts';
import { authenticate } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';

const password = 'correct horse battery staple';
const START = Date.UTC(2026, 10, 23, 12);
const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };

function setup(env: Record<string, string> = {}) {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, { ...FAST_ARGON2, ...env }) };
}

async function newAccount(deps: Dependencies) {
  const s = randomUUID().slice(0, 8);
  return register({ username: `dev_${s}`, email: `dev_${s}@example.com`, password }, deps);
}

/** What one attempt answers: 'ok', 401 or 429. */
async function attempt(deps: Dependencies, login: string, pw: string, deviceProof?: string): Promise<string> {
  try {
    await authenticate({ login, password: pw }, deps, { deviceProof }, async () => undefined);
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return '401';
    if (error instanceof TooManyRequestsError) return '429';
    throw error;
  }
}

async function proofOf(deps: Dependencies, login: string): Promise<string> {
  return (await authenticate({ login, password }, deps, {}, async () => undefined)).deviceProof;
}

/** An attacker without the owner's device locks out the login name. */
async function lockOut(deps: Dependencies, login: string): Promise<void> {
  for (let i = 0; i < 5; i++) expect(await attempt(deps, login, `guess ${i}`)).toBe('401');
  expect(await attempt(deps, login, password)).toBe('429');
}

describe('the owner with a device proof', () => {
  it('gets in while an attacker has locked out every client without one', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const proof = await proofOf(deps, user.username);
    await lockOut(deps, user.username);

    expect(await attempt(deps, user.username, password, proof)).toBe('ok');
    // The attacker, without the proof, is still refused; the owner's success did not unlock them.
    expect(await attempt(deps, user.username, password)).toBe('429');
    expect(await attempt(deps, user.username, 'guess 6')).toBe('429');
  });

  it('fails on its own counter: its typos do not lock the name, and five of them lock only this device', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const proof = await proofOf(deps, user.username);
    for (let i = 0; i < 5; i++) expect(await attempt(deps, user.username, 'typo', proof)).toBe('401');
    // Clients without the proof are untouched...
    expect(await attempt(deps, user.username, password)).toBe('ok');
    // ...and the locked device counts as none: once the name is locked too, it waits with the rest.
    await lockOut(deps, user.username);
    expect(await attempt(deps, user.username, password, proof)).toBe('429');
  });
});

describe('a proof that does not count (treated as none)', () => {
  it('tampered with, another user’s, or an access token', async () => {
    const { deps } = setup();
    const [user, other] = [await newAccount(deps), await newAccount(deps)];
    const proof = await proofOf(deps, user.username);
    const othersProof = await proofOf(deps, other.username);
    const [header, payload, signature] = proof.split('.');
    const flipped = `${signature!.slice(0, 10)}${signature![10] === 'A' ? 'B' : 'A'}${signature!.slice(11)}`;
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const otherSubject = Buffer.from(JSON.stringify({ ...claims, sub: other.id })).toString('base64url');
    const accessToken = (await issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens })).token;
    await lockOut(deps, user.username);

    for (const shown of [`${header}.${payload}.${flipped}`, `${header}.${otherSubject}.${signature}`, othersProof, accessToken, 'not-a-proof']) {
      expect(await attempt(deps, user.username, password, shown)).toBe('429');
    }
    expect(await attempt(deps, user.username, password, proof)).toBe('ok');
  });

  it('expired', async () => {
    const { clock, deps } = setup({ DEVICE_PROOF_TTL: '3600' });
    const user = await newAccount(deps);
    const proof = await proofOf(deps, user.username);
    clock.advance(3600 + 60);
    await lockOut(deps, user.username);
    expect(await attempt(deps, user.username, password, proof)).toBe('429');
  });

  it('revoked: issued before "log out everywhere" (or a password reset, which moves the same time)', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    const proof = await proofOf(deps, user.username);
    clock.advance(5);
    // What logoutEverywhere() and a reset do to the user's valid-after time.
    await deps.users.invalidateTokensBefore(user.id, clock.now() + 1);
    clock.advance(5);
    await lockOut(deps, user.username);
    expect(await attempt(deps, user.username, password, proof)).toBe('429');
  });
});

describe('what a device proof is', () => {
  it('a JWT of its own type and audience, naming only the user id; refused as an access token', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const proof = await proofOf(deps, user.username);
    expect(decodeProtectedHeader(proof)).toMatchObject({ typ: 'device-proof+jwt', alg: 'RS256' });
    const claims = decodeJwt(proof);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub']);
    expect(claims).toMatchObject({ sub: user.id, aud: `${deps.config.issuer}/device-proof` });
    expect(claims.exp! - claims.iat!).toBe(180 * 86_400);

    await expect(deps.tokenChecker.check(proof, deps.accessTokens.audience)).rejects.toBeInstanceOf(InvalidTokenError);
    const settings = { issuer: deps.config.issuer };
    expect(await readDeviceProof(proof, { ...deps, settings })).toMatchObject({ userId: user.id, deviceId: claims.jti });
  });
});
