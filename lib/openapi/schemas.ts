// Response shapes for the OpenAPI document (requests come from the zod schemas that validate them).
// JSON Schema 2020-12, as OpenAPI 3.1 uses.

const string = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const strings = { type: 'array', items: string } as const;

export const COMPONENT_SCHEMAS = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is stable and meant to be switched on.',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', example: 'urn:auth-service:problem:invalid_request' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      code: { type: 'string', example: 'invalid_request' },
      detail: { type: 'string', example: 'The request has invalid fields.' },
      errors: {
        type: 'array',
        items: { type: 'object', required: ['field', 'message'], properties: { field: string, message: string } },
      },
    },
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      username: string,
      email: { type: 'string', format: 'email' },
      email_verified: { type: 'boolean' },
      first_name: string,
      last_name: string,
      organisation_type: string,
      organisation_name: string,
      country: string,
      job_title: string,
      permissions: strings,
      status: { type: 'string', enum: ['active', 'disabled'] },
      created_at: dateTime,
      updated_at: dateTime,
    },
  },
  SessionTokens: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'expires_at', 'refresh_token'],
    properties: {
      access_token: { type: 'string', description: 'RS256 JWT, RFC 9068 (typ at+jwt).' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', example: 1800 },
      expires_at: dateTime,
      refresh_token: { type: 'string', description: 'Opaque, single use: every refresh returns a new one.' },
    },
  },
  ServiceToken: {
    type: 'object',
    properties: {
      service_token: { type: 'string', description: 'RS256 JWT, typ service+jwt, aud = the service id.' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', example: 300 },
      expires_at: dateTime,
      audience: { type: 'string', example: 'hash-verification' },
    },
  },
  ApiToken: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: string,
      ttl: { type: 'integer', minimum: 60 },
      expires_at: dateTime,
      created_at: dateTime,
      modified_at: dateTime,
      last_used_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  MfaFactor: {
    type: 'object',
    required: ['type', 'id', 'name', 'created_at', 'last_used_at'],
    properties: {
      type: { type: 'string', enum: ['totp', 'webauthn', 'recovery_codes'] },
      id: { type: 'string', description: "`totp`, `recovery_codes`, or the passkey's credential id." },
      name: string,
      created_at: dateTime,
      last_used_at: { type: ['string', 'null'], format: 'date-time' },
      remaining: { type: 'integer', description: 'Recovery codes only: how many are unused.' },
    },
  },
  Introspection: {
    type: 'object',
    required: ['active'],
    properties: {
      active: { type: 'boolean' },
      // RFC 7662 §2.2: an OAuth client's access token is a Bearer token, with its client_id and scope.
      token_type: { type: 'string', enum: ['access_token', 'service_token', 'api_token', 'Bearer'] },
      scope: string,
      sub: string,
      username: string,
      email: string,
      permissions: strings,
      client_id: string,
      iss: string,
      aud: string,
      exp: { type: 'integer' },
      iat: { type: 'integer' },
      nbf: { type: 'integer' },
      jti: string,
      sid: string,
    },
  },
  // RFC 6749 §5.1, OIDC Core §3.1.3.3.
  OAuthTokenResponse: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'scope'],
    properties: {
      access_token: string,
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer', example: 900 },
      refresh_token: string,
      id_token: string,
      scope: { type: 'string', example: 'openid profile email' },
    },
  },
  // OIDC Core §5.3.2: sub always, the rest as the scopes allow (§5.4).
  UserInfo: {
    type: 'object',
    required: ['sub'],
    properties: {
      sub: string,
      preferred_username: string,
      name: string,
      given_name: string,
      family_name: string,
      updated_at: { type: 'integer' },
      email: string,
      email_verified: { type: 'boolean' },
    },
  },
  Message: { type: 'object', properties: { message: string } },
  Any: { description: 'The documented shape of the compatibility dialect (see the README).' },
} as const;
