// Changing the password and the email address of the signed-in account, and the two links an
// email change mails (make the change; undo it): declarations and request schemas.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { emailField, textField } from '../fields.ts';
import { MESSAGE, ref } from '../responses.ts';
import { oneTimeTokenField } from './password-and-email.ts';

const passwordText = (field: string) =>
  textField(field).check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }),
  );

const booleanField = (field: string) =>
  z.boolean({ error: (issue) => (issue.input === undefined ? 'This field is required.' : `${field} must be true or false.`) });

export const changePasswordSchema = z.strictObject({
  current_password: passwordText('current_password'),
  new_password: passwordText('new_password'),
  keep_other_sessions: z.optional(booleanField('keep_other_sessions')),
});

export const changeEmailSchema = z.strictObject({
  new_email: emailField('new_email'),
  password: passwordText('password'),
});

export const emailLinkSchema = z.strictObject({ token: oneTimeTokenField });

const TAG = 'Accounts';
const LINKS_TAG = 'Password and email';

export const changePassword = operation({
  method: 'POST',
  path: '/me/password',
  tag: TAG,
  summary:
    'Change your password: {current_password, new_password} (the policy as at registration). Every other session ends, its access tokens within a second, unless {keep_other_sessions: true}; outstanding reset links are void; you are told by mail.',
  request: changePasswordSchema,
  setsPassword: true,
  example: { current_password: 'correct horse battery staple', new_password: 'a new and longer passphrase', keep_other_sessions: false },
  auth: 'bearer',
  guard: 'password',
  success: { status: 204, body: 'none' },
});

export const changeEmail = operation({
  method: 'POST',
  path: '/me/email',
  tag: TAG,
  summary:
    'Change your email address: {new_email, password}. A link goes to the new address, and the change is made when it is followed; the old address is then told, with a link that undoes the change (7 days). An address of another account: 409, or with REGISTRATION_DISCLOSURE=email the same 202.',
  request: changeEmailSchema,
  example: { new_email: 'jane@new.example.com', password: 'correct horse battery staple' },
  auth: 'bearer',
  guard: 'password',
  success: { status: 202, body: MESSAGE },
});

export const emailChangePage = operation({
  method: 'GET',
  path: '/email/change',
  tag: LINKS_TAG,
  summary: 'The page of an email-change link (?token=), with a button: opening a link never makes the change.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const confirmEmailChange = operation({
  method: 'POST',
  path: '/email/change',
  tag: LINKS_TAG,
  summary: 'Make the email change with the token from the link mailed to the new address; 409 when another account took the address meanwhile.',
  request: emailLinkSchema,
  auth: 'none',
  success: { status: 200, body: { type: 'object', properties: { email: { type: 'string' }, user: ref('User') } } },
});

export const emailRevertPage = operation({
  method: 'GET',
  path: '/email/revert',
  tag: LINKS_TAG,
  summary: 'The page of the undo link mailed to the old address (?token=), with a button.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const revertEmailChange = operation({
  method: 'POST',
  path: '/email/revert',
  tag: LINKS_TAG,
  summary: 'Undo an email change with the token from the link mailed to the old address: the old address is back, and every session and API token ends.',
  request: emailLinkSchema,
  auth: 'none',
  success: { status: 200, body: MESSAGE },
});

export const mePasswordLambda: LambdaDeclaration = {
  name: 'mePassword',
  file: 'me-password',
  httpApiPaths: ['/me/password'],
  dialect: 'problem',
  operations: [changePassword],
};
export const meEmailLambda: LambdaDeclaration = {
  name: 'meEmail',
  file: 'me-email',
  httpApiPaths: ['/me/email'],
  dialect: 'problem',
  operations: [changeEmail],
};
export const emailChangeLambda: LambdaDeclaration = {
  name: 'emailChange',
  file: 'email-change',
  httpApiPaths: ['/email/change'],
  dialect: 'problem',
  operations: [emailChangePage, confirmEmailChange],
};
export const emailRevertLambda: LambdaDeclaration = {
  name: 'emailRevert',
  file: 'email-revert',
  httpApiPaths: ['/email/revert'],
  dialect: 'problem',
  operations: [emailRevertPage, revertEmailChange],
};
