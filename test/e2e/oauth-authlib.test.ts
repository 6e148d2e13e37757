// A Python relying party: Authlib (Debian's python3-authlib, the library Flask and Django apps use)
// runs the code flow with PKCE against the stack from the discovery document alone: the code
// exchange with client_secret_basic, the ID token's signature and claims (iss, aud, nonce,
// at_hash), userinfo, a refresh that rotates, introspection, revocation; and client credentials
// with client_secret_post and an RFC 8707 resource. The code is stored as /oauth/authorize issues
// it (the hosted pages have their own tests in Chromium), so this test is about the token side.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testDependencies } from '../support/deps.ts';
import { REDIRECT_URI, storedClient, storedCode } from '../support/oauth-tokens.ts';
import { storedUser } from '../support/users.ts';
import { apiUrl } from './helpers.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../support/python/authlib_client.py', import.meta.url));

function authlib(job: Record<string, unknown>): Record<string, any> {
  // Authlib refuses plain http unless told it is a local setup (AUTHLIB_INSECURE_TRANSPORT).
  const run = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify({ issuer: apiUrl(), ...job }),
    encoding: 'utf8',
    env: { ...process.env, AUTHLIB_INSECURE_TRANSPORT: '1' },
    timeout: 30_000,
  });
  if (run.error) throw new Error(`${PYTHON} did not run (${run.error.message}); install Debian's python3-authlib and python3-requests (.ci/run does).`);
  if (run.status !== 0) throw new Error(`the Authlib client failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  if (result.error) throw new Error(`Authlib: ${result.error}`);
  return result;
}

let deps: Dependencies;
beforeAll(() => {
  deps = testDependencies();
});

describe('Authlib (Python) as the relying party', () => {
  it('exchanges a code with PKCE, validates the ID token, reads userinfo, refreshes, introspects and revokes', { timeout: 60_000 }, async () => {
    const app = await storedClient(deps);
    const user = await storedUser(deps, 'authlib', { profile: { first_name: 'Ada', last_name: 'Lovelace' } });
    const issued = await storedCode(deps, app.client.clientId, user.id);
    const callback = new URL(REDIRECT_URI);
    callback.searchParams.set('code', issued.code);
    callback.searchParams.set('state', 'st-1');
    callback.searchParams.set('iss', deps.config.issuer);
    const result = authlib({
      flow: 'code',
      client_id: app.client.clientId,
      client_secret: app.secret,
      redirect_uri: REDIRECT_URI,
      callback: callback.toString(),
      state: 'st-1',
      code_verifier: issued.verifier,
      nonce: issued.record.nonce,
    });
    expect(result.token_type.toLowerCase()).toBe('bearer');
    expect(result.id_token_claims).toMatchObject({
      iss: deps.config.issuer,
      sub: user.id,
      aud: app.client.clientId,
      nonce: issued.record.nonce,
      preferred_username: user.username,
      email: user.email,
      given_name: 'Ada',
    });
    expect(result.userinfo).toMatchObject({ sub: user.id, email: user.email, family_name: 'Lovelace' });
    expect(result.rotated).toBe(true);
    expect(result.introspected).toMatchObject({ active: true, sub: user.id, client_id: app.client.clientId, scope: 'openid profile email' });
    expect(result.revoke_status).toBe(200);
    // Revoking the refresh token ended the session (RFC 7009 §2.1): it no longer refreshes.
    expect(result.refresh_after_revoke).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });
  });

  it('gets a client-credentials token for an RFC 8707 resource with client_secret_post', { timeout: 60_000 }, async () => {
    const app = await storedClient(deps, {
      tokenEndpointAuthMethod: 'client_secret_post',
      grantTypes: ['client_credentials'],
      resources: ['https://reports.example'],
      scopes: ['reports:read'],
    });
    const result = authlib({
      flow: 'client_credentials',
      client_id: app.client.clientId,
      client_secret: app.secret,
      resource: 'https://reports.example',
      scope: 'reports:read',
    });
    expect(result).toMatchObject({ scope: 'reports:read', refresh_token: null });
    expect(result.token_type.toLowerCase()).toBe('bearer');
    const payload = JSON.parse(Buffer.from(result.access_token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: app.client.clientId, aud: 'https://reports.example', client_id: app.client.clientId });
  });
});
