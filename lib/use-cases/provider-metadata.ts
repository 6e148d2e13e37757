// What discovery advertises: one metadata document served at both well-known paths, OpenID
// Connect Discovery 1.0 §3 (/.well-known/openid-configuration) and RFC 8414 §2
// (/.well-known/oauth-authorization-server), so any OAuth or OpenID library configures itself
// from it. Only what we do is advertised: each value below is a promise the endpoints keep.
import type { Config } from '../config/all.ts';
import { ACR_VALUES } from '../domain/authentication.ts';
import { CLIENT_AUTH_METHODS, GRANT_TYPES, OIDC_SCOPES } from '../domain/oauth-client.ts';
import { SIGNING_ALG } from '../tokens/signing-alg.ts';

/** The claims an ID token or /oauth/userinfo may carry (OIDC Core §2, §3.1.3.6, §5.1). */
export const CLAIMS_SUPPORTED = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'at_hash',
  'amr',
  'acr',
  'azp',
  'sid',
  'preferred_username',
  'name',
  'given_name',
  'family_name',
  'updated_at',
  'email',
  'email_verified',
] as const;

/** The provider metadata, built from the configuration. */
export function providerMetadata(config: Pick<Config, 'issuer' | 'publicUrl' | 'oauth'>): Record<string, unknown> {
  const base = config.publicUrl.replace(/\/$/, '');
  const secretMethods = CLIENT_AUTH_METHODS.filter((method) => method !== 'none');
  return {
    issuer: config.issuer,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    // RFC 8414 §2 / OIDC Discovery §3: only when registration is possible at all.
    ...(config.oauth.dynamicRegistration === 'off' ? {} : { registration_endpoint: `${base}/oauth/register` }),
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/introspect`,
    // OpenID Connect RP-Initiated Logout 1.0 §2.1.
    end_session_endpoint: `${base}/oauth/logout`,
    // API scopes are granted per client by an operator, so only the OpenID ones are public (RFC 8414 §2 allows leaving some out).
    scopes_supported: [...OIDC_SCOPES],
    // OAuth 2.1 §4.1: the authorization code, returned in the query (no implicit, no fragment, no form_post).
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    // OAuth 2.1 §4.1.1 and RFC 9700 §2.1.1: PKCE with S256 only; plain is not offered.
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    // RFC 7009 §2.1: a public client revokes its own tokens with its client_id.
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    // RFC 7662 §2.1: introspection needs an authenticated (confidential) caller.
    introspection_endpoint_auth_methods_supported: secretMethods,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    claims_supported: [...CLAIMS_SUPPORTED],
    // RFC 9207 §3: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    // OIDC Discovery §3 defaults request_uri_parameter_supported to true: say explicitly that we take
    // neither request objects nor the claims parameter.
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    prompt_values_supported: ['none', 'login', 'consent'],
    // NIST SP 800-63B assurance levels: aal2 asks for a second factor (docs/oauth.md).
    acr_values_supported: [...ACR_VALUES],
    service_documentation: `${base}/docs`,
  };
}
