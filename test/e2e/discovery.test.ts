// The published key material: /.well-known/jwks.json (public RSA keys only) and
// /.well-known/openid-configuration (issuer and jwks_uri consumers use to verify our tokens).
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiUrl, decodeJwtParts, expectSecurityHeaders, loggedInUser, type Session } from './helpers.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('discovery', () => {
  let session: Session;

  // A login first: the signing key is created by the first signer, so the JWKS is not empty.
  beforeAll(async () => {
    session = await loggedInUser('disco');
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes RSA signature keys with kid, alg RS256 and use sig', async () => {
      const res = await api('/.well-known/jwks.json');
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/(jwk-set\+)?json\b/);
      expect(Array.isArray(res.body.keys)).toBe(true);
      expect(res.body.keys.length).toBeGreaterThan(0);
      const kids = new Set<string>();
      for (const key of res.body.keys) {
        expect(key.kty).toBe('RSA');
        expect(key.alg).toBe('RS256');
        expect(key.use).toBe('sig');
        expect(key.kid).toEqual(expect.any(String));
        expect(key.kid.length).toBeGreaterThan(0);
        expect(key.n).toMatch(/^[A-Za-z0-9_-]{300,}$/); // 2048 bits or more, base64url
        expect(key.e).toMatch(/^[A-Za-z0-9_-]+$/);
        kids.add(key.kid);
      }
      expect(kids.size).toBe(res.body.keys.length);
    });

    it('has no private key members', async () => {
      const res = await api('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      for (const key of res.body.keys) {
        for (const member of PRIVATE_MEMBERS) expect(key, `member ${member}`).not.toHaveProperty(member);
      }
      expect(res.text).not.toMatch(/"(d|p|q|dp|dq|qi)"\s*:/);
    });

    it('contains the key that signed a fresh access token', async () => {
      const res = await api('/.well-known/jwks.json');
      const { kid } = decodeJwtParts(session.accessToken).header;
      expect(res.body.keys.map((key: { kid: string }) => key.kid)).toContain(kid);
    });

    it('is cacheable by its consumers and still carries the security headers', async () => {
      const res = await api('/.well-known/jwks.json');
      expectSecurityHeaders(res, /\bmax-age=\d+/);
      expect(res.headers.get('cache-control')).not.toContain('no-store');
    });
  });

  describe('GET /.well-known/openid-configuration', () => {
    it('names the issuer (the API URL) and a jwks_uri serving the JWKS', async () => {
      const res = await api('/.well-known/openid-configuration');
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(res.body.issuer).toBe(apiUrl());
      expect(res.body.jwks_uri).toBe(`${apiUrl()}/.well-known/jwks.json`);
      expect(res.body.id_token_signing_alg_values_supported).toContain('RS256');

      const fromUri = await fetch(res.body.jwks_uri);
      expect(fromUri.status).toBe(200);
      const direct = await api('/.well-known/jwks.json');
      expect(await fromUri.json()).toEqual(direct.body);
    });

    it('names the issuer the tokens carry', async () => {
      const res = await api('/.well-known/openid-configuration');
      expect(decodeJwtParts(session.accessToken).payload.iss).toBe(res.body.issuer);
    });
  });
});
