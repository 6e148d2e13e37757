// The tokens of the OAuth side: ID tokens (OIDC Core §2, §3.1.3.6, §5.4), OAuth clients' access
// tokens (RFC 9068 §2.2), client credentials tokens, at_hash and the PKCE S256 check, against the
// specifications' own example values.
import { beforeEach, describe, expect, it } from 'vitest';
import { scopedUserClaims } from '../../../lib/domain/oidc-claims.ts';
import type { ClientGrant } from '../../../lib/domain/session.ts';
import type { User } from '../../../lib/domain/user.ts';
import { verifyAccessToken } from '../../../lib/tokens/access-tokens.ts';
import { accessTokenHash, issueIdToken } from '../../../lib/tokens/id-tokens.ts';
import { createKeyEnvelope } from '../../../lib/tokens/key-envelope.ts';
import { issueClientAccessToken, issueClientCredentialsToken } from '../../../lib/tokens/oauth-access-tokens.ts';
import { createSigner, type Signer } from '../../../lib/tokens/signer.ts';
import { createVerificationKeys, type VerificationKeys } from '../../../lib/tokens/verification-keys.ts';
import { verifierMatches } from '../../../lib/use-cases/oauth-code-grant.ts';
import { inProcessDataKeys } from '../../../scripts/local-kms/in-process.ts';
import { type TestClock, testClock } from '../../support/clock.ts';
import { memorySigningKeyStore } from '../../support/memory-signing-key-store.ts';

const user: User = {
  id: 'user-1',
  username: 'jane',
  email: 'jane@example.com',
  emailVerified: true,
  profile: { first_name: 'Jane', last_name: 'Doe' },
  passwordHash: 'unused',
  status: 'active',
  permissions: ['hash:verify'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
};
const grant: ClientGrant = { clientId: 'c_app', scopes: ['openid', 'profile'], authTime: 1_790_000_000, amr: ['pwd'], browserSessionId: 'bs-1' };
const settings = { issuer: 'https://auth.example', audience: 'api', ttlSeconds: 900 };
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());

let clock: TestClock;
let signer: Signer;
let verificationKeys: VerificationKeys;

beforeEach(() => {
  clock = testClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  const store = memorySigningKeyStore();
  verificationKeys = createVerificationKeys({ reads: store, clock, cacheSeconds: 300 });
  const envelope = createKeyEnvelope(inProcessDataKeys(), { service: 'test', stage: 'unit' });
  signer = createSigner({ store, clock, envelope: () => envelope, verificationKeys, maxTokenLifetimeSeconds: 3600 });
});

describe("at_hash and PKCE, with the specifications' examples", () => {
  it('at_hash is the base64url left half of SHA-256 (OIDC Core §3.1.3.6; the example of Appendix A.4)', () => {
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('S256 matches RFC 7636 Appendix B, and nothing else', () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(verifierMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge)).toBe(true);
    expect(verifierMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj', challenge)).toBe(false);
    // `plain` is not offered: the verifier itself never passes as the challenge.
    expect(verifierMatches(challenge, challenge)).toBe(false);
  });
});

describe('issueIdToken', () => {
  it("carries OIDC Core §2 claims, the grant's authentication and the profile claims its scopes allow", async () => {
    const idToken = await issueIdToken(
      { user, grant, scopes: ['openid', 'profile'], accessToken: 'the-access-token', nonce: 'n-0S6_WzA2Mj' },
      { signer, clock, settings: { issuer: settings.issuer, ttlSeconds: 3600 } },
    );
    const { kid } = await signer.signingKey();
    expect(headerOf(idToken)).toEqual({ alg: 'RS256', kid, typ: 'JWT' });
    const payload = payloadOf(idToken);
    expect(payload).toEqual({
      iss: settings.issuer,
      sub: 'user-1',
      aud: 'c_app',
      azp: 'c_app',
      iat: clock.now() / 1000,
      exp: clock.now() / 1000 + 3600,
      auth_time: grant.authTime,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: accessTokenHash('the-access-token'),
      amr: ['pwd'],
      sid: 'bs-1',
      preferred_username: 'jane',
      given_name: 'Jane',
      family_name: 'Doe',
      name: 'Jane Doe',
      updated_at: Date.parse(user.updatedAt) / 1000,
    });
  });

  it('leaves out the nonce when there is none (a refresh, OIDC Core §12.2) and email claims without the email scope', async () => {
    const payload = payloadOf(
      await issueIdToken({ user, grant, scopes: ['openid'], accessToken: 'a' }, { signer, clock, settings: { issuer: 'i', ttlSeconds: 60 } }),
    );
    expect(payload.nonce).toBeUndefined();
    expect(payload.email).toBeUndefined();
    expect(payload.preferred_username).toBeUndefined();
  });
});

describe('scopedUserClaims (OIDC Core §5.4)', () => {
  it('releases nothing for openid alone, names for profile, the address for email', () => {
    expect(scopedUserClaims(user, ['openid'])).toEqual({});
    expect(scopedUserClaims(user, ['email'])).toEqual({ email: 'jane@example.com', email_verified: true });
    expect(scopedUserClaims({ ...user, profile: {} }, ['profile'])).toEqual({ preferred_username: 'jane', updated_at: Date.parse(user.updatedAt) / 1000 });
  });
});

describe('OAuth access tokens (RFC 9068)', () => {
  it("a user's token for a client verifies as our access token and carries client_id, scope, auth_time, amr and sid, no profile data", async () => {
    const issued = await issueClientAccessToken(user, grant, ['openid'], 'family-1', { signer, clock, settings });
    const claims = await verifyAccessToken(issued.token, { verificationKeys, clock, settings });
    expect(claims).toMatchObject({ sub: 'user-1', aud: 'api', client_id: 'c_app', scope: 'openid', auth_time: grant.authTime, amr: ['pwd'], sid: 'family-1' });
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('username');
    expect(headerOf(issued.token).typ).toBe('at+jwt');
  });

  it("a client credentials token is the client's own, for the resource, and never passes as a token for our API", async () => {
    const issued = await issueClientCredentialsToken('c_svc', 'https://reports.example', ['reports:read'], { signer, clock, settings });
    expect(payloadOf(issued.token)).toMatchObject({ sub: 'c_svc', client_id: 'c_svc', aud: 'https://reports.example', scope: 'reports:read' });
    await expect(verifyAccessToken(issued.token, { verificationKeys, clock, settings })).rejects.toMatchObject({ code: 'invalid_token' });
  });
});
