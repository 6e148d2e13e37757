// The hosted pages of multi-factor authentication: the OAuth login page's second step
// (/oauth/login/mfa, served by the oauthLogin function), the account page where a signed-in browser
// manages its factors (/account), and the script files the passkey buttons need (/assets/{file}).
// Declarations and form schemas; the operations live in mfa-login-page-handlers.ts and
// account-handlers.ts.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { oauthError } from '../../http/oauth-errors.ts';
import { loginField, textField } from '../fields.ts';
import { credentialFields } from './sessions.ts';

const TAG = 'Hosted pages: second factor and account';

const bounded = (field: string, max: number, message = `Use at most ${max} characters.`) => textField(field).check(z.maxLength(max, { error: message }));
const csrfField = bounded('csrf_token', 64, 'This form has expired; reload the page.');
const mfaTokenField = bounded('mfa_token', 64, 'This sign-in has expired; start again.');
/** A TOTP code as typed (spaces allowed: "123 456"); the use case decides whether it is one. */
const codeField = z.optional(bounded('code', 16));
const recoveryCodeField = z.optional(bounded('recovery_code', 64));
/** A WebAuthn response (JSON) the page's script put in the form; ample for any authenticator. */
const credentialField = z.optional(bounded('credential', 32_768));

/** The second step of the OAuth login page, and the enrolment MFA_POLICY=required asks for. */
export const oauthSecondStepSchema = z.strictObject({
  request: bounded('request', 64, 'This is not a sign-in request.'),
  csrf_token: csrfField,
  /** What the form does: verify a factor, confirm the TOTP enrolment, go on to the application, or sign in with a passkey alone. */
  step: z.enum(['totp', 'recovery_code', 'webauthn', 'confirm_totp', 'continue', 'passkey'], { error: 'Unknown step.' }),
  mfa_token: z.optional(mfaTokenField),
  /** Passwordless (step `passkey`): the ceremony the login page's options belong to. */
  ceremony_id: z.optional(bounded('ceremony_id', 64)),
  code: codeField,
  recovery_code: recoveryCodeField,
  credential: credentialField,
});

/** The account page's sign-in (and step-up re-authentication): the password, then the second factor. */
export const accountSignInSchema = z.strictObject({
  csrf_token: csrfField,
  step: z.enum(['password', 'totp', 'recovery_code', 'webauthn', 'confirm_totp'], { error: 'Unknown step.' }),
  username: z.optional(loginField('username')),
  password: z.optional(credentialFields.password),
  mfa_token: z.optional(mfaTokenField),
  code: codeField,
  recovery_code: recoveryCodeField,
  credential: credentialField,
});

/** The account page's actions on its factors. */
export const accountActionSchema = z.strictObject({
  csrf_token: csrfField,
  action: z.enum(['totp_start', 'totp_confirm', 'totp_remove', 'passkey_start', 'passkey_register', 'passkey_remove', 'recovery_codes', 'sign_out'], {
    error: 'Unknown action.',
  }),
  code: codeField,
  name: z.optional(bounded('name', 64)),
  passkey_id: z.optional(bounded('passkey_id', 1024)),
  credential: credentialField,
});

export const oauthSecondStepPost = operation({
  method: 'POST',
  path: '/oauth/login/mfa',
  tag: TAG,
  summary:
    'The hosted login page’s second step: a TOTP code, a recovery code or a passkey (or, under MFA_POLICY=required, enrolling TOTP); then the authorization request goes on.',
  request: oauthSecondStepSchema,
  auth: 'none',
  guard: 'password',
  success: { status: 303, body: 'none' },
});

export const accountPageGet = operation({
  method: 'GET',
  path: '/account',
  tag: TAG,
  summary: 'The hosted account page of the browser session: second factors (TOTP, passkeys, recovery codes); a sign-in form without a session.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const accountPagePost = operation({
  method: 'POST',
  path: '/account',
  tag: TAG,
  summary:
    'The account page’s forms: enrol or remove TOTP, add or remove a passkey, regenerate recovery codes (step-up: a recent sign-in with the second factor), sign out.',
  request: accountActionSchema,
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const accountSignInPost = operation({
  method: 'POST',
  path: '/account/sign-in',
  tag: TAG,
  summary: 'Sign in to the account page (or again, for step-up): the password, then the second factor; starts or renews the browser session.',
  request: accountSignInSchema,
  auth: 'password',
  guard: 'password',
  success: { status: 303, body: 'none' },
});

export const pageAssetGet = operation({
  method: 'GET',
  path: '/assets/{file}',
  tag: TAG,
  summary: 'The hosted pages’ scripts: @simplewebauthn/browser and the passkey buttons’ script (served here: the pages load nothing from elsewhere).',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const accountLambda: LambdaDeclaration = {
  name: 'account',
  file: 'account',
  httpApiPaths: ['/account', '/account/sign-in'],
  dialect: 'oauth',
  errors: oauthError,
  // Signing in issues device proofs (signed), as /login does; TOTP secrets are opened (KMS).
  signsTokens: true,
  operations: [accountPageGet, accountPagePost, accountSignInPost],
};

export const pageAssetsLambda: LambdaDeclaration = {
  name: 'pageAssets',
  file: 'page-assets',
  httpApiPaths: ['/assets/{file}'],
  dialect: 'problem',
  operations: [pageAssetGet],
};
