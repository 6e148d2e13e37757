// The hosted pages of multi-factor authentication: the OAuth login page's second step
// (/oauth/login/mfa, served by the oauthLogin function) and the script files the passkey buttons
// need (/assets/{file}). Declarations and form schemas; the operations live in
// mfa-login-page-handlers.ts. The account page (/account) is declared in account-page.ts.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { textField } from '../fields.ts';

export const TAG = 'Hosted pages: second factor and account';

export const bounded = (field: string, max: number, message = `Use at most ${max} characters.`) => textField(field).check(z.maxLength(max, { error: message }));
export const csrfField = bounded('csrf_token', 64, 'This form has expired; reload the page.');
export const mfaTokenField = bounded('mfa_token', 64, 'This sign-in has expired; start again.');
/** A TOTP code as typed (spaces allowed: "123 456"); the use case decides whether it is one. */
export const codeField = z.optional(bounded('code', 16));
export const recoveryCodeField = z.optional(bounded('recovery_code', 64));
/** A WebAuthn response (JSON) the page's script put in the form; ample for any authenticator. */
export const credentialField = z.optional(bounded('credential', 32_768));

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

export const pageAssetGet = operation({
  method: 'GET',
  path: '/assets/{file}',
  tag: TAG,
  summary: 'The hosted pages’ scripts: @simplewebauthn/browser and the passkey buttons’ script (served here: the pages load nothing from elsewhere).',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const pageAssetsLambda: LambdaDeclaration = {
  name: 'pageAssets',
  file: 'page-assets',
  httpApiPaths: ['/assets/{file}'],
  dialect: 'problem',
  operations: [pageAssetGet],
};
