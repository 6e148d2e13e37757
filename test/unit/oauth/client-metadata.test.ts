// The client registry's metadata rules (lib/use-cases/oauth-client-metadata.ts), shared by the
// admin CLI and RFC 7591 registration, and the reading of an RFC 7591 request into them
// (lib/use-cases/dynamic-client-registration.ts). Each rule is shown refusing what it must.
import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../lib/domain/errors.ts';
import { registrationInput } from '../../../lib/use-cases/dynamic-client-registration.ts';
import { type ClientMetadataInput, checkClientMetadata, type Registrar } from '../../../lib/use-cases/oauth-client-metadata.ts';

const CONFIG = { accessTokenAudience: 'https://api.example.com', services: [{ id: 'reports', name: 'Reports', permission: 'reports:read' }] };

const SPA: ClientMetadataInput = {
  name: 'Example SPA',
  tokenEndpointAuthMethod: 'none',
  redirectUris: ['https://app.example.com/callback'],
  grantTypes: ['authorization_code', 'refresh_token'],
};

const check = (changes: Partial<ClientMetadataInput>, registrar: Registrar = 'admin') => checkClientMetadata({ ...SPA, ...changes }, registrar, CONFIG);

/** The OAuth error code a check throws (fails the test when it throws none). */
function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return { code: (error as OAuthError).code, message: (error as OAuthError).message };
  }
  throw new Error('expected a refusal');
}

describe('client metadata', () => {
  it('accepts a public browser client, with the OpenID scopes by default and repeats removed', () => {
    const metadata = check({ redirectUris: ['https://app.example.com/callback', 'https://app.example.com/callback'], firstParty: true });
    expect(metadata).toEqual({
      name: 'Example SPA',
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['https://app.example.com/callback'],
      postLogoutRedirectUris: [],
      scopes: ['openid', 'profile', 'email'],
      grantTypes: ['authorization_code', 'refresh_token'],
      firstParty: true,
      resources: [],
    });
  });

  it('makes a client confidential exactly when its auth method is not none (OAuth 2.1 §2.1)', () => {
    expect(check({ tokenEndpointAuthMethod: 'client_secret_basic' }).type).toBe('confidential');
    expect(check({ tokenEndpointAuthMethod: 'client_secret_post' }).type).toBe('confidential');
    expect(refusal(() => check({ tokenEndpointAuthMethod: 'private_key_jwt' })).code).toBe('invalid_client_metadata');
  });

  it.each([
    ['a fragment', 'https://app.example.com/cb#frag'],
    ['plain http off loopback', 'http://app.example.com/cb'],
    ['a wildcard', 'https://*.example.com/cb'],
    ['a relative URI', '/callback'],
    ['javascript:', 'javascript:alert(1)'],
    ['user information', 'https://user:pw@app.example.com/cb'],
  ])('refuses a redirect URI with %s as invalid_redirect_uri (RFC 7591 §3.2.2)', (_, uri) => {
    expect(refusal(() => check({ redirectUris: [uri] })).code).toBe('invalid_redirect_uri');
    expect(refusal(() => check({ postLogoutRedirectUris: [uri] })).code).toBe('invalid_redirect_uri');
  });

  it('accepts loopback http and a reverse-domain private-use scheme for native apps (RFC 8252 §7.1, §7.3)', () => {
    expect(check({ redirectUris: ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'com.example.app:/callback'] }).redirectUris).toHaveLength(3);
  });

  it('needs a redirect URI for the authorization code grant (RFC 7591 §2)', () => {
    expect(refusal(() => check({ redirectUris: [] })).code).toBe('invalid_redirect_uri');
  });

  it('refuses more than 20 redirect URIs', () => {
    const many = Array.from({ length: 21 }, (_, i) => `https://app.example.com/cb${i}`);
    expect(refusal(() => check({ redirectUris: many })).code).toBe('invalid_client_metadata');
  });

  it('refuses unknown grant types, none at all, and refresh_token without authorization_code', () => {
    expect(refusal(() => check({ grantTypes: ['implicit'] })).message).toMatch(/implicit/);
    expect(refusal(() => check({ grantTypes: ['password'] })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ grantTypes: [] })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ grantTypes: ['refresh_token'] })).code).toBe('invalid_client_metadata');
  });

  it('gives client_credentials only to confidential clients, with at least one resource (OAuth 2.1 §4.2, RFC 8707)', () => {
    const service = {
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      resources: ['https://reports.example.com/api'],
    };
    expect(check(service)).toMatchObject({ type: 'confidential', scopes: [], resources: ['https://reports.example.com/api'] });
    expect(refusal(() => check({ ...service, tokenEndpointAuthMethod: 'none' })).message).toMatch(/confidential/);
    expect(refusal(() => check({ ...service, resources: [] })).message).toMatch(/at least one resource/);
  });

  it('refuses resources that are our API audience, a service id, not absolute or with a fragment, or without client_credentials', () => {
    const service = { tokenEndpointAuthMethod: 'client_secret_basic', grantTypes: ['client_credentials'], redirectUris: [] };
    for (const resource of ['https://api.example.com', 'reports', 'relative/path', 'https://reports.example.com/api#x']) {
      expect(refusal(() => check({ ...service, resources: [resource] })).code, resource).toBe('invalid_client_metadata');
    }
    expect(refusal(() => check({ resources: ['https://reports.example.com/api'] })).message).toMatch(/client_credentials/);
  });

  it('refuses scopes that are not RFC 6749 §3.3 scope tokens, and a sign-in client without scopes', () => {
    expect(refusal(() => check({ scopes: ['bad"scope'] })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ scopes: ['back\\slash'] })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ scopes: [] })).code).toBe('invalid_client_metadata');
    expect(check({ scopes: ['openid', 'reports:read'] }).scopes).toEqual(['openid', 'reports:read']);
  });

  it('refuses an empty, overlong or control-character name', () => {
    expect(refusal(() => check({ name: '  ' })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ name: 'x'.repeat(101) })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ name: 'Evil\nApp' })).code).toBe('invalid_client_metadata');
    expect(check({ name: '  Trimmed  ' }).name).toBe('Trimmed');
  });

  it('takes an https client_uri (http only on loopback)', () => {
    expect(check({ clientUri: 'https://app.example.com/' }).clientUri).toBe('https://app.example.com/');
    expect(refusal(() => check({ clientUri: 'http://app.example.com/' })).code).toBe('invalid_client_metadata');
    expect(refusal(() => check({ clientUri: 'javascript:alert(1)' })).code).toBe('invalid_client_metadata');
  });

  describe('for dynamically registered clients', () => {
    it('is always third-party', () => {
      expect(check({ firstParty: true }, 'dynamic').firstParty).toBe(false);
    });

    it('allows only the OpenID Connect scopes', () => {
      expect(check({ scopes: ['openid', 'email'] }, 'dynamic').scopes).toEqual(['openid', 'email']);
      expect(refusal(() => check({ scopes: ['openid', 'reports:read'] }, 'dynamic')).message).toMatch(/reports:read/);
    });

    it('never allows client_credentials or resources', () => {
      const service = { tokenEndpointAuthMethod: 'client_secret_basic', grantTypes: ['client_credentials'], resources: ['https://reports.example.com/api'] };
      expect(refusal(() => check(service, 'dynamic')).message).toMatch(/client_credentials/);
      expect(refusal(() => check({ resources: ['https://reports.example.com/api'] }, 'dynamic')).message).toMatch(/resources/);
    });
  });
});

describe('an RFC 7591 registration request', () => {
  it('gets the RFC 7591 §2 defaults: authorization_code, code, client_secret_basic', () => {
    expect(registrationInput({ redirect_uris: ['https://rp.example.com/cb'] })).toEqual({
      name: 'rp.example.com',
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris: ['https://rp.example.com/cb'],
      grantTypes: ['authorization_code'],
      firstParty: false,
    });
  });

  it('reads the fields it knows and ignores the ones it does not (RFC 7591 §2)', () => {
    const input = registrationInput({
      redirect_uris: ['https://rp.example.com/cb'],
      client_name: 'RP',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid email',
      post_logout_redirect_uris: ['https://rp.example.com/'],
      client_uri: 'https://rp.example.com/',
      logo_uri: 'https://rp.example.com/logo.png',
      software_statement: 'ignored',
    });
    expect(input).toEqual({
      name: 'RP',
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['https://rp.example.com/cb'],
      grantTypes: ['authorization_code', 'refresh_token'],
      postLogoutRedirectUris: ['https://rp.example.com/'],
      scopes: ['openid', 'email'],
      clientUri: 'https://rp.example.com/',
      firstParty: false,
    });
  });

  it.each([
    ['a body that is not an object', ['https://rp.example.com/cb']],
    ['response type token (no implicit in OAuth 2.1)', { redirect_uris: ['https://rp.example.com/cb'], response_types: ['token'] }],
    ['no response type', { redirect_uris: ['https://rp.example.com/cb'], response_types: [] }],
    ['code without the authorization_code grant (RFC 7591 §2.1)', { grant_types: ['refresh_token'] }],
    ['a scope with empty values', { redirect_uris: ['https://rp.example.com/cb'], scope: 'openid  email' }],
    ['a client_name that is not a string', { redirect_uris: ['https://rp.example.com/cb'], client_name: 42 }],
    ['an ID token algorithm we do not sign with', { redirect_uris: ['https://rp.example.com/cb'], id_token_signed_response_alg: 'none' }],
  ])('refuses %s as invalid_client_metadata', (_, body) => {
    expect(refusal(() => registrationInput(body)).code).toBe('invalid_client_metadata');
  });

  it('refuses redirect_uris that are not an array of strings as invalid_redirect_uri', () => {
    expect(refusal(() => registrationInput({ redirect_uris: 'https://rp.example.com/cb' })).code).toBe('invalid_redirect_uri');
  });
});
