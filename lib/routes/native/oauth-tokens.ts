// The OAuth 2.1 / OpenID Connect token-side endpoints: /oauth/token, /oauth/userinfo and
// /oauth/revoke. Their errors are OAuth's JSON (dialect `oauth`), not problem+json. The token and
// revocation bodies are read by their use cases (unknown parameters ignored, OAuth 2.1 §3.2.2;
// form-urlencoded only); the schemas below document them.
import * as z from 'zod/mini';
import { bearerErrors } from '../../http/bearer-errors.ts';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { oauthError } from '../../http/oauth-errors.ts';

const TAG = 'OAuth 2.1 and OpenID Connect';
const optionalText = z.optional(z.string());

export const tokenRequestSchema = z.object({
  grant_type: z.string(),
  code: optionalText,
  redirect_uri: optionalText,
  code_verifier: optionalText,
  refresh_token: optionalText,
  scope: optionalText,
  resource: optionalText,
  client_id: optionalText,
  client_secret: optionalText,
});

export const revokeRequestSchema = z.object({
  token: z.string(),
  token_type_hint: optionalText,
  client_id: optionalText,
  client_secret: optionalText,
});

export const oauthToken = operation({
  method: 'POST',
  path: '/oauth/token',
  tag: TAG,
  summary: 'OAuth 2.1 token endpoint: authorization_code (PKCE S256), refresh_token and client_credentials grants, form-urlencoded.',
  request: tokenRequestSchema,
  validatedBy: 'use-case',
  example: { grant_type: 'authorization_code', code: '…', redirect_uri: 'https://app.example.com/callback', code_verifier: '…', client_id: 'c_…' },
  auth: 'basic',
  guard: 'bearer',
  success: { status: 200, body: 'OAuthTokenResponse' },
});

const userinfoSummary = "OpenID Connect UserInfo (OIDC Core §5.3): the claims the access token's scopes allow; needs scope openid.";

export const oauthUserinfoGet = operation({
  method: 'GET',
  path: '/oauth/userinfo',
  tag: TAG,
  summary: userinfoSummary,
  auth: 'bearer',
  success: { status: 200, body: 'UserInfo' },
});

export const oauthUserinfoPost = operation({
  method: 'POST',
  path: '/oauth/userinfo',
  tag: TAG,
  summary: userinfoSummary,
  auth: 'bearer',
  success: { status: 200, body: 'UserInfo' },
});

export const oauthRevoke = operation({
  method: 'POST',
  path: '/oauth/revoke',
  tag: TAG,
  summary: 'RFC 7009 token revocation for OAuth clients: a refresh token ends its session, an access token stops working.',
  request: revokeRequestSchema,
  validatedBy: 'use-case',
  auth: 'basic',
  guard: 'bearer',
  success: { status: 200, body: 'none' },
});

export const oauthTokenLambda: LambdaDeclaration = {
  name: 'oauthToken',
  file: 'oauth-token',
  httpApiPaths: ['/oauth/token'],
  dialect: 'oauth',
  errors: oauthError,
  signsTokens: true,
  operations: [oauthToken],
};
export const oauthUserinfoLambda: LambdaDeclaration = {
  name: 'oauthUserinfo',
  file: 'oauth-userinfo',
  httpApiPaths: ['/oauth/userinfo'],
  dialect: 'oauth',
  errors: bearerErrors,
  operations: [oauthUserinfoGet, oauthUserinfoPost],
};
export const oauthRevokeLambda: LambdaDeclaration = {
  name: 'oauthRevoke',
  file: 'oauth-revoke',
  httpApiPaths: ['/oauth/revoke'],
  dialect: 'oauth',
  errors: oauthError,
  operations: [oauthRevoke],
};
