// The published key material and provider metadata: /.well-known/jwks.json (public RSA keys only),
// /.well-known/openid-configuration and /.well-known/oauth-authorization-server (issuer, jwks_uri,
// the OAuth endpoints), readable across origins by registered browser clients.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiUrl, decodeJwtParts, expectSecurityHeaders, loggedInUser, type Session, suffix } from './helpers.ts';

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

    it('advertises the OAuth and OpenID Connect endpoints, registration included (the stack runs it open)', async () => {
      const { body } = await api('/.well-known/openid-configuration');
      expect(body).toMatchObject({
        authorization_endpoint: `${apiUrl()}/oauth/authorize`,
        token_endpoint: `${apiUrl()}/oauth/token`,
        userinfo_endpoint: `${apiUrl()}/oauth/userinfo`,
        registration_endpoint: `${apiUrl()}/oauth/register`,
        revocation_endpoint: `${apiUrl()}/oauth/revoke`,
        introspection_endpoint: `${apiUrl()}/introspect`,
        end_session_endpoint: `${apiUrl()}/oauth/logout`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
    });
  });

  describe('GET /.well-known/oauth-authorization-server', () => {
    it('serves the same metadata as the OpenID configuration (RFC 8414 §3)', async () => {
      const [oauth, oidc] = await Promise.all([api('/.well-known/oauth-authorization-server'), api('/.well-known/openid-configuration')]);
      expect(oauth.status, oauth.text).toBe(200);
      expectSecurityHeaders(oauth, /\bmax-age=\d+/);
      expect(oauth.body).toEqual(oidc.body);
      expect(oauth.body.issuer).toBe(apiUrl());
    });
  });

  describe('CORS from registered clients', () => {
    it("lets a registered browser client's origin read discovery, and no other", async () => {
      const origin = `https://spa-${suffix()}.example.com`;
      const stranger = `https://other-${suffix()}.example.com`;
      const before = await api('/.well-known/openid-configuration', { headers: { origin } });
      expect(before.headers.get('access-control-allow-origin')).toBeNull();
      const registered = await api('/oauth/register', { json: { redirect_uris: [`${origin}/callback`], token_endpoint_auth_method: 'none' } });
      expect(registered.status, registered.text).toBe(201);

      const after = await api('/.well-known/openid-configuration', { headers: { origin } });
      expect(after.headers.get('access-control-allow-origin')).toBe(origin);
      expect(after.headers.get('vary')).toMatch(/\bOrigin\b/);
      const preflight = await api('/.well-known/oauth-authorization-server', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      const other = await api('/.well-known/openid-configuration', { headers: { origin: stranger } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
