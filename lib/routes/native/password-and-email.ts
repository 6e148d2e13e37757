// Password reset and email verification, with their hosted pages: declarations and request schemas.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { emailField, textField } from '../fields.ts';
import { MESSAGE, ref } from '../responses.ts';

export const forgotPasswordSchema = z.strictObject({
  email: emailField('email'),
});

/** The token of a reset or verification link. */
export const oneTimeTokenField = textField('token').check(
  z.minLength(1, { error: 'This field must not be empty.' }),
  z.maxLength(512, { error: 'This is not a valid link token.' }),
);

export const resetPasswordSchema = z.strictObject({
  token: oneTimeTokenField,
  password: textField('password').check(z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` })),
});

export const verifyEmailSchema = z.strictObject({ token: oneTimeTokenField });

/** POST /email/verify/resend: without a token, the address to send to; with one, nothing needed. */
export const resendSchema = z.strictObject({ email: z.optional(forgotPasswordSchema.shape.email) });

const TAG = 'Password and email';

export const forgotPasswordPage = operation({
  method: 'GET',
  path: '/password/forgot',
  tag: TAG,
  summary: 'The page with the form that asks for a reset link.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const forgotPassword = operation({
  method: 'POST',
  path: '/password/forgot',
  tag: TAG,
  summary: 'Mail a password-reset link for {email}; the same 202 whether or not the address has an account.',
  request: forgotPasswordSchema,
  example: { email: 'jane@example.com' },
  auth: 'none',
  guard: 'password-forgot',
  success: { status: 202, body: MESSAGE },
});

export const resetPasswordPage = operation({
  method: 'GET',
  path: '/password/reset',
  tag: TAG,
  summary: 'The page of a reset link (?token=): the form to choose a new password, or why the link is spent.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const resetPassword = operation({
  method: 'POST',
  path: '/password/reset',
  tag: TAG,
  summary: 'Set a new password with the token from a reset link; ends every session and API token.',
  request: resetPasswordSchema,
  setsPassword: true,
  auth: 'none',
  success: { status: 200, body: MESSAGE },
});

export const verifyEmailPage = operation({
  method: 'GET',
  path: '/email/verify',
  tag: TAG,
  summary: 'The page of a confirmation link (?token=), with a button: opening a link never confirms, so mail scanners cannot.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const verifyEmail = operation({
  method: 'POST',
  path: '/email/verify',
  tag: TAG,
  summary: 'Confirm an email address with the token from the link.',
  request: verifyEmailSchema,
  auth: 'none',
  success: { status: 200, body: { type: 'object', properties: { email_verified: { const: true }, user: ref('User') } } },
});

export const resendVerification = operation({
  method: 'POST',
  path: '/email/verify/resend',
  tag: TAG,
  summary:
    'Another confirmation link (at most once a minute): for the logged-in user, or for {email} without a token (the same 202 whether or not the address has an account).',
  request: resendSchema,
  example: { email: 'jane@example.com' },
  auth: 'bearer',
  guard: 'email-resend',
  success: { status: 202, body: MESSAGE },
});

export const passwordForgotLambda: LambdaDeclaration = {
  name: 'passwordForgot',
  file: 'password-forgot',
  httpApiPaths: ['/password/forgot'],
  dialect: 'problem',
  operations: [forgotPasswordPage, forgotPassword],
};
export const passwordResetLambda: LambdaDeclaration = {
  name: 'passwordReset',
  file: 'password-reset',
  httpApiPaths: ['/password/reset'],
  dialect: 'problem',
  operations: [resetPasswordPage, resetPassword],
};
export const emailVerifyLambda: LambdaDeclaration = {
  name: 'emailVerify',
  file: 'email-verify',
  httpApiPaths: ['/email/verify'],
  dialect: 'problem',
  operations: [verifyEmailPage, verifyEmail],
};
export const emailVerifyResendLambda: LambdaDeclaration = {
  name: 'emailVerifyResend',
  file: 'email-verify-resend',
  httpApiPaths: ['/email/verify/resend'],
  dialect: 'problem',
  operations: [resendVerification],
};
