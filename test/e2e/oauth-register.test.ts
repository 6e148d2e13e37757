// RFC 7591 dynamic client registration over HTTP (the test stack runs OAUTH_DYNAMIC_REGISTRATION=open,
// as `npm start` does): 201 with the client information and the secret once, errors in OAuth's
// JSON shape (RFC 7591 §3.2.2), never cached. The token and off modes are in
// test/integration/oauth-register-modes.test.ts.
import { describe, expect, it } from 'vitest';
import { api, expectSecurityHeaders, suffix } from './helpers.ts';

const redirect = () => `https://rp-${suffix()}.example.com/cb`;

describe('POST /oauth/register', () => {
  it('registers a confidential client: 201, client_id, a secret that does not expire, the metadata (RFC 7591 §3.2.1)', async () => {
    const uri = redirect();
    const res = await api('/oauth/register', { json: { redirect_uris: [uri], client_name: 'Relying party', scope: 'openid email', logo_uri: 'ignored' } });
    expect(res.status, res.text).toBe(201);
    expectSecurityHeaders(res);
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.body).toEqual({
      client_id: expect.stringMatching(/^c_[A-Za-z0-9_-]{22}$/),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_secret_expires_at: 0,
      client_id_issued_at: expect.any(Number),
      client_name: 'Relying party',
      redirect_uris: [uri],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid email',
    });
    expect(Math.abs(res.body.client_id_issued_at - Date.now() / 1000)).toBeLessThan(300);
  });

  it('registers a public client without a secret', async () => {
    const res = await api('/oauth/register', {
      json: { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).not.toHaveProperty('client_secret');
    expect(res.body).not.toHaveProperty('client_secret_expires_at');
    expect(res.body.grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it.each([
    ['a fragment', 'https://rp.example.com/cb#x'],
    ['plain http off loopback', 'http://rp.example.com/cb'],
    ['a wildcard', 'https://*.rp.example.com/cb'],
  ])('refuses a redirect URI with %s: 400 invalid_redirect_uri, OAuth JSON, no-store', async (_, uri) => {
    const res = await api('/oauth/register', { json: { redirect_uris: [uri] } });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_redirect_uri', error_description: expect.stringContaining('redirect_uris') });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses what only an operator may grant as invalid_client_metadata', async () => {
    for (const metadata of [
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' },
      { scope: 'openid reports:read' },
      { response_types: ['token'] },
      { token_endpoint_auth_method: 'private_key_jwt' },
    ]) {
      const res = await api('/oauth/register', { json: { redirect_uris: [redirect()], ...metadata } });
      expect(res.status, JSON.stringify(metadata)).toBe(400);
      expect(res.body.error, JSON.stringify(metadata)).toBe('invalid_client_metadata');
    }
  });

  it('answers bad bodies with 4xx in OAuth JSON, never 5xx', async () => {
    const form = await api('/oauth/register', {
      body: 'redirect_uris=https%3A%2F%2Frp.example.com%2Fcb',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('application/json') });
    const broken = await api('/oauth/register', { body: '{"redirect_uris":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_request');
    const array = await api('/oauth/register', { json: [] });
    expect(array.status).toBe(400);
    const get = await api('/oauth/register');
    expect(get.status).toBe(405);
    expect(get.body.error).toBe('invalid_request');
  });
});
