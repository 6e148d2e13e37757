// The discovery document (lib/use-cases/provider-metadata.ts): every field the OpenID Connect and
// OAuth libraries read, with exactly the values our endpoints honour, and the registration endpoint
// only when OAUTH_DYNAMIC_REGISTRATION lets anyone use it.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/all.ts';
import { providerMetadata } from '../../../lib/use-cases/provider-metadata.ts';

const BASE = 'https://auth.example.com';
const config = (env: Record<string, string> = {}) =>
  loadConfig({ PUBLIC_URL: BASE, TABLE_NAME: 't', AWS_REGION: 'us-east-1', KMS_KEY_ID: 'alias/test', ...env });

describe('the provider metadata', () => {
  it('names every endpoint under PUBLIC_URL and the issuer', () => {
    const metadata = providerMetadata(config({ OAUTH_DYNAMIC_REGISTRATION: 'open', ISSUER: 'https://issuer.example.com' }));
    expect(metadata).toMatchObject({
      issuer: 'https://issuer.example.com',
      authorization_endpoint: `${BASE}/oauth/authorize`,
      token_endpoint: `${BASE}/oauth/token`,
      userinfo_endpoint: `${BASE}/oauth/userinfo`,
      jwks_uri: `${BASE}/.well-known/jwks.json`,
      registration_endpoint: `${BASE}/oauth/register`,
      revocation_endpoint: `${BASE}/oauth/revoke`,
      introspection_endpoint: `${BASE}/introspect`,
      end_session_endpoint: `${BASE}/oauth/logout`,
    });
  });

  it('offers the code flow with S256 PKCE only, in the query, and says iss comes back (RFC 9207)', () => {
    const metadata = providerMetadata(config());
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.response_modes_supported).toEqual(['query']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.prompt_values_supported).toEqual(['none', 'login', 'consent']);
  });

  it('lists the client authentication methods per endpoint; introspection needs a secret', () => {
    const metadata = providerMetadata(config());
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['none', 'client_secret_basic', 'client_secret_post']);
    expect(metadata.revocation_endpoint_auth_methods_supported).toEqual(['none', 'client_secret_basic', 'client_secret_post']);
    expect(metadata.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
  });

  it('describes ID tokens: public subjects, RS256, the claims the scopes give', () => {
    const metadata = providerMetadata(config());
    expect(metadata.subject_types_supported).toEqual(['public']);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(metadata.scopes_supported).toEqual(['openid', 'profile', 'email']);
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'auth_time', 'nonce', 'at_hash', 'amr', 'email', 'email_verified', 'preferred_username']),
    );
  });

  it('says request objects and the claims parameter are not supported (OIDC Discovery §3 defaults request_uri_parameter_supported to true)', () => {
    expect(providerMetadata(config())).toMatchObject({
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
    });
  });

  it('leaves out the registration endpoint when dynamic registration is off (the default)', () => {
    expect(providerMetadata(config())).not.toHaveProperty('registration_endpoint');
    expect(providerMetadata(config({ OAUTH_DYNAMIC_REGISTRATION: 'token' })).registration_endpoint).toBe(`${BASE}/oauth/register`);
  });
});
