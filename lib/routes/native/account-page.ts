// The hosted account page (/account, served by the account function): its three operations and
// form schemas. The operations live in account-handlers.ts (dispatch) and the account-*-actions.ts
// files (one per section); the page's HTML in lib/pages/account-*.ts.
import * as z from 'zod/mini';
import { MIN_API_TOKEN_TTL } from '../../domain/api-token.ts';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { oauthError } from '../../http/oauth-errors.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { loginField, secondsField, textField } from '../fields.ts';
import { bounded, codeField, credentialField, csrfField, mfaTokenField, recoveryCodeField, TAG } from './mfa-pages.ts';
import { credentialFields } from './sessions.ts';

/** An API token's lifetime from the page's list; API_TOKEN_MAX_TTL is checked by the handler (it is read at run time). */
const TEN_YEARS = 10 * 365 * 86_400;

const passwordText = (field: string) =>
  textField(field).check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }),
  );

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

/** Every action of the signed-in page; which fields an action needs is its handler's to check. */
export const ACCOUNT_ACTIONS = [
  'totp_start',
  'totp_confirm',
  'totp_remove',
  'passkey_start',
  'passkey_register',
  'passkey_remove',
  'recovery_codes',
  'token_create',
  'token_delete',
  'password_change',
  'email_change',
  'session_end',
  'account_delete_start',
  'account_delete',
  'sign_out',
] as const;

/** The signed-in page's forms. */
export const accountActionSchema = z.strictObject({
  csrf_token: csrfField,
  action: z.enum(ACCOUNT_ACTIONS, { error: 'Unknown action.' }),
  code: codeField,
  /** A passkey's or an API token's name (each use case bounds its own). */
  name: z.optional(bounded('name', 200)),
  passkey_id: z.optional(bounded('passkey_id', 1024)),
  credential: credentialField,
  ttl: z.optional(secondsField('ttl', MIN_API_TOKEN_TTL, TEN_YEARS)),
  token_id: z.optional(bounded('token_id', 64)),
  current_password: z.optional(passwordText('current_password')),
  new_password: z.optional(passwordText('new_password')),
  /** A checkbox: present ("yes") when checked. */
  keep_other_sessions: z.optional(z.literal('yes', { error: 'keep_other_sessions must be "yes" when sent.' })),
  /** Checked by the handler (emailField), so a refusal is said in the section, next to the form. */
  new_email: z.optional(bounded('new_email', 1024)),
  password: z.optional(passwordText('password')),
  session_id: z.optional(bounded('session_id', 64)),
});

export type AccountAction = z.output<typeof accountActionSchema>;

export const accountPageGet = operation({
  method: 'GET',
  path: '/account',
  tag: TAG,
  summary:
    'The hosted account page of the browser session: profile, password, email address, sessions, second factors (TOTP, passkeys, recovery codes), API tokens, security events (`?events=<cursor>` for older ones), deleting the account; a sign-in form without a session.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const accountPagePost = operation({
  method: 'POST',
  path: '/account',
  tag: TAG,
  summary:
    'The account page’s forms: change the password or the email address, sign a session out, enrol or remove TOTP, add or remove a passkey, regenerate recovery codes, create or delete an API token, delete the account (step-up where it matters: a recent sign-in with the second factor), sign out. A done change answers 303 back to /account#<section>.',
  request: accountActionSchema,
  setsPassword: true,
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
