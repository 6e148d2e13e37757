// Access-token signing and verification (RFC 9068 profile, RFC 8725 checks), including the
// classic attacks: tampering, alg "none", HS256 keyed with our public key, foreign keys.
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { importJWK, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidTokenError, TOKEN_EXPIRED_MESSAGE, TokenExpiredError } from '../../../lib/domain/errors.ts';
import type { User } from '../../../lib/domain/user.ts';
import { issueAccessToken, verifyAccessToken } from '../../../lib/tokens/access-tokens.ts';
import { createKeyEnvelope } from '../../../lib/tokens/key-envelope.ts';
import { createSigner, type Signer } from '../../../lib/tokens/signer.ts';
import { createVerificationKeys, type VerificationKeys } from '../../../lib/tokens/verification-keys.ts';
import { inProcessDataKeys } from '../../../scripts/local-kms/in-process.ts';
import { type TestClock, testClock } from '../../support/clock.ts';
import { memorySigningKeyStore } from '../../support/memory-signing-key-store.ts';

const settings = { issuer: 'https://auth.example', audience: 'api', clientId: 'auth-service', ttlSeconds: 1800 };
const user: User = {
  id: 'user-1',
  username: 'jane',
  email: 'jane@example.com',
  emailVerified: true,
  profile: {},
  passwordHash: 'unused',
  status: 'active',
  permissions: ['hash:verify'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
    rawHeader: header,
    rawPayload: payload,
    signature,
  };
};

let clock: TestClock;
let signer: Signer;
let verificationKeys: VerificationKeys;
const deps = () => ({ signer, verificationKeys, clock, settings });

beforeEach(() => {
  clock = testClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  const store = memorySigningKeyStore();
  verificationKeys = createVerificationKeys({ reads: store, clock, cacheSeconds: 300 });
  const envelope = createKeyEnvelope(inProcessDataKeys(), { service: 'test', stage: 'unit' });
  signer = createSigner({ store, clock, envelope: () => envelope, verificationKeys, maxTokenLifetimeSeconds: 1800 });
});

describe('issueAccessToken', () => {
  it('signs an RFC 9068 access token with our kid and the documented claims', async () => {
    const { token, expiresAt, jti } = await issueAccessToken(user, deps());
    const { header, payload } = parts(token);
    const { kid } = await signer.signingKey();
    expect(header).toEqual({ alg: 'RS256', kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: settings.issuer,
      sub: user.id,
      aud: settings.audience,
      client_id: 'auth-service',
      username: 'jane',
      email: 'jane@example.com',
      email_verified: true,
      permissions: ['hash:verify'],
      jti,
    });
    expect(payload.exp - payload.iat).toBe(1800);
    expect(expiresAt).toBe(payload.exp * 1000);
  });

  it('gives every token its own jti', async () => {
    const a = await issueAccessToken(user, deps());
    const b = await issueAccessToken(user, deps());
    expect(a.jti).not.toBe(b.jti);
  });
});

describe('verifyAccessToken', () => {
  it('accepts its own token and returns the claims', async () => {
    const { token } = await issueAccessToken(user, deps());
    expect((await verifyAccessToken(token, deps())).sub).toBe(user.id);
  });

  it('refuses an expired token with the exact TCAP message, allowing 5 s of clock skew', async () => {
    const { token } = await issueAccessToken(user, deps());
    clock.advance(1800 + 4);
    await expect(verifyAccessToken(token, deps())).resolves.toBeTruthy();
    clock.advance(2);
    const error = await verifyAccessToken(token, deps()).catch((e) => e);
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error.message).toBe(TOKEN_EXPIRED_MESSAGE);
    expect(error.code).toBe('token_expired');
  });

  it('refuses a token that is not yet valid beyond the leeway', async () => {
    clock.advance(120);
    const { token } = await issueAccessToken(user, deps());
    clock.advance(-120);
    await expect(verifyAccessToken(token, deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a changed payload and a changed signature', async () => {
    const { token } = await issueAccessToken(user, deps());
    const { rawHeader, payload, signature, rawPayload } = parts(token);
    const forged = `${rawHeader}.${b64({ ...payload, permissions: ['admin'] })}.${signature}`;
    await expect(verifyAccessToken(forged, deps())).rejects.toBeInstanceOf(InvalidTokenError);
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    await expect(verifyAccessToken(`${rawHeader}.${rawPayload}.${flipped}`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses alg "none"', async () => {
    const { token } = await issueAccessToken(user, deps());
    const { header, rawPayload } = parts(token);
    for (const alg of ['none', 'None', 'NONE']) {
      await expect(verifyAccessToken(`${b64({ ...header, alg })}.${rawPayload}.`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });

  it('refuses HS256 signed with our public key as the HMAC secret (key confusion)', async () => {
    const { token } = await issueAccessToken(user, deps());
    const { header, rawPayload } = parts(token);
    const [jwk] = await verificationKeys.publicJwks();
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const forgedHeader = b64({ ...header, alg: 'HS256' });
    for (const secret of [pem, Buffer.from(JSON.stringify(jwk))]) {
      const mac = createHmac('sha256', secret).update(`${forgedHeader}.${rawPayload}`).digest('base64url');
      await expect(verifyAccessToken(`${forgedHeader}.${rawPayload}.${mac}`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });

  it('refuses a token signed by a foreign key that claims our kid', async () => {
    const { kid } = await signer.signingKey();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = await new SignJWT({ username: 'jane' })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject(user.id)
      .setJti('x')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(privateKey);
    await expect(verifyAccessToken(foreign, deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token with an unknown kid, and one without kid', async () => {
    const { token } = await issueAccessToken(user, deps());
    const { header, rawPayload, signature } = parts(token);
    await expect(verifyAccessToken(`${b64({ ...header, kid: 'unknown' })}.${rawPayload}.${signature}`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
    const { kid: _kid, ...noKid } = header;
    await expect(verifyAccessToken(`${b64(noKid)}.${rawPayload}.${signature}`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a correctly signed token with the wrong typ, issuer or audience', async () => {
    const { privateKey, kid } = await signer.signingKey();
    const now = Math.floor(clock.now() / 1000);
    const make = (typ: string, iss: string, aud: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid, typ })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject(user.id)
        .setJti('j')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(privateKey);
    await expect(verifyAccessToken(await make('at+jwt', settings.issuer, settings.audience), deps())).resolves.toBeTruthy();
    await expect(verifyAccessToken(await make('JWT', settings.issuer, settings.audience), deps())).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifyAccessToken(await make('at+jwt', 'https://evil.example', settings.audience), deps())).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifyAccessToken(await make('at+jwt', settings.issuer, 'other-service'), deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses our valid signature under a header naming another algorithm', async () => {
    const { token } = await issueAccessToken(user, deps());
    const { header, rawPayload, signature } = parts(token);
    for (const alg of ['PS256', 'RS512', 'ES256', 'HS256']) {
      await expect(verifyAccessToken(`${b64({ ...header, alg })}.${rawPayload}.${signature}`, deps())).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });

  it('answers any string with InvalidTokenError, never another error (property)', async () => {
    const { token } = await issueAccessToken(user, deps());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')),
          fc.nat({ max: token.length - 1 }).chain((i) => fc.constantFrom('A', 'x', '.', '-', '_', '=').map((c) => token.slice(0, i) + c + token.slice(i + 1))),
        ),
        async (candidate) => {
          if (candidate === token) return;
          const error = await verifyAccessToken(candidate, deps()).then(
            () => undefined,
            (e) => e,
          );
          // A one-character change can land in the base64url padding bits and still decode to the
          // same bytes; then the token is genuinely identical and may verify.
          if (error === undefined) {
            expect(Buffer.from(candidate.split('.')[2] ?? '', 'base64url')).toEqual(Buffer.from(token.split('.')[2]!, 'base64url'));
            return;
          }
          expect(error).toBeInstanceOf(InvalidTokenError);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('signer and verification keys', () => {
  it('publishes only public members', async () => {
    await signer.signingKey();
    const [jwk] = await verificationKeys.publicJwks();
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    await expect(importJWK(jwk!, 'RS256')).resolves.toBeTruthy();
  });

  it('publishes the next key before it signs, and keeps a retired key until its tokens have expired', async () => {
    const old = await issueAccessToken(user, deps());
    const publishedBefore = (await verificationKeys.publicJwks()).map((k) => k.kid);
    const { retiredKid, kid, nextKid } = await signer.rotate();
    expect(retiredKid).toBe(parts(old.token).header.kid);
    expect(publishedBefore).toEqual(expect.arrayContaining([retiredKid, kid]));
    expect((await signer.signingKey()).kid).toBe(kid);
    await expect(verifyAccessToken(old.token, deps())).resolves.toBeTruthy();
    expect((await verificationKeys.publicJwks()).map((k) => k.kid).sort()).toEqual([kid, nextKid, retiredKid].sort());
    clock.advance(300 + 1800 + 61);
    expect((await verificationKeys.publicJwks()).map((k) => k.kid).sort()).toEqual([kid, nextKid].sort());
    expect(await verificationKeys.verificationKey(retiredKid!)).toBeUndefined();
    await expect(verifyAccessToken(old.token, deps())).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
