// The OAuth 2.1 / OpenID Connect authorization side: the authorization endpoint, the hosted login
// and consent pages, and the end-session endpoint (RP-Initiated Logout 1.0). Declarations and
// request schemas; each path is its own Lambda.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { oauthError } from '../../http/oauth-errors.ts';
import { loginField, textField } from '../fields.ts';
import { oauthSecondStepPost } from './mfa-pages.ts';
import { credentialFields } from './sessions.ts';

const TAG = 'OAuth and OpenID Connect';

/** A bounded optional text field (OAuth parameters are short; a long one would only fill logs). */
const optionalText = (field: string, max = 2048) => z.optional(textField(field).check(z.maxLength(max, { error: `Use at most ${max} characters.` })));
const requestIdField = textField('request').check(z.maxLength(64, { error: 'This is not a sign-in request.' }));
const csrfField = textField('csrf_token').check(z.maxLength(64, { error: 'This form has expired; reload the page.' }));

export const oauthLoginSchema = z.strictObject({
  request: requestIdField,
  csrf_token: csrfField,
  /** A username or an email address, as on /login. */
  username: loginField('username'),
  password: credentialFields.password,
});

export const oauthConsentSchema = z.strictObject({
  request: requestIdField,
  csrf_token: csrfField,
  decision: z.enum(['allow', 'deny'], { error: 'Choose Allow or Deny.' }),
});

/** RP-Initiated Logout 1.0 §2 parameters (POST form as well as GET), plus our confirmation form's. */
export const oauthLogoutSchema = z.strictObject({
  id_token_hint: optionalText('id_token_hint', 8192),
  client_id: optionalText('client_id', 128),
  post_logout_redirect_uri: optionalText('post_logout_redirect_uri', 2000),
  state: optionalText('state'),
  logout_hint: optionalText('logout_hint', 254),
  ui_locales: optionalText('ui_locales', 256),
  csrf_token: z.optional(csrfField),
  decision: z.optional(z.enum(['logout'], { error: 'Unknown decision.' })),
});

export const authorizeGet = operation({
  method: 'GET',
  path: '/oauth/authorize',
  tag: TAG,
  summary: 'OAuth 2.1 authorization endpoint (response_type=code, PKCE S256): a code (or error) redirect with iss (RFC 9207), or the login or consent page.',
  auth: 'none',
  success: { status: 302, body: 'none' },
});

export const authorizePost = operation({
  method: 'POST',
  path: '/oauth/authorize',
  tag: TAG,
  summary: 'The authorization endpoint with its parameters as a form (OIDC Core §3.1.2.1).',
  validatedBy: 'use-case',
  auth: 'none',
  success: { status: 302, body: 'none' },
});

export const loginPageGet = operation({
  method: 'GET',
  path: '/oauth/login',
  tag: TAG,
  summary: 'The hosted sign-in page of a pending authorization request (?request=).',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const loginPagePost = operation({
  method: 'POST',
  path: '/oauth/login',
  tag: TAG,
  summary: 'Sign in on the hosted page: starts the browser session (single sign-on) and continues the authorization request.',
  request: oauthLoginSchema,
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 303, body: 'none' },
});

export const consentPageGet = operation({
  method: 'GET',
  path: '/oauth/consent',
  tag: TAG,
  summary: 'The consent page of a pending authorization request from a third-party client (?request=).',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const consentPagePost = operation({
  method: 'POST',
  path: '/oauth/consent',
  tag: TAG,
  summary: 'Allow or deny the application: a code or access_denied redirect.',
  request: oauthConsentSchema,
  auth: 'none',
  success: { status: 303, body: 'none' },
});

export const logoutGet = operation({
  method: 'GET',
  path: '/oauth/logout',
  tag: TAG,
  summary: 'End-session endpoint (RP-Initiated Logout 1.0): signs out of the browser session and its clients, or asks to confirm.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const logoutPost = operation({
  method: 'POST',
  path: '/oauth/logout',
  tag: TAG,
  summary: 'The end-session endpoint with its parameters as a form, and the confirmation form.',
  request: oauthLogoutSchema,
  auth: 'none',
  success: { status: 200, body: 'html' },
});

const oauthPages = { dialect: 'oauth', errors: oauthError } as const;

export const oauthAuthorizeLambda: LambdaDeclaration = {
  name: 'oauthAuthorize',
  file: 'oauth-authorize',
  httpApiPaths: ['/oauth/authorize'],
  ...oauthPages,
  operations: [authorizeGet, authorizePost],
};
export const oauthLoginLambda: LambdaDeclaration = {
  name: 'oauthLogin',
  file: 'oauth-login',
  httpApiPaths: ['/oauth/login', '/oauth/login/mfa'],
  ...oauthPages,
  // Device proofs (lib/tokens/device-proofs.ts) are signed, as on /login; TOTP secrets are opened (KMS).
  signsTokens: true,
  operations: [loginPageGet, loginPagePost, oauthSecondStepPost],
};
export const oauthConsentLambda: LambdaDeclaration = {
  name: 'oauthConsent',
  file: 'oauth-consent',
  httpApiPaths: ['/oauth/consent'],
  ...oauthPages,
  operations: [consentPageGet, consentPagePost],
};
export const oauthLogoutLambda: LambdaDeclaration = {
  name: 'oauthLogout',
  file: 'oauth-logout',
  httpApiPaths: ['/oauth/logout'],
  ...oauthPages,
  operations: [logoutGet, logoutPost],
};
