// Accounts: register, and the account behind a token. Declarations and request schemas.
import * as z from 'zod/mini';
import { accountsConfig } from '../../config/sections/accounts.ts';
import { PROFILE_FIELDS, type ProfileField } from '../../domain/profile.ts';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { emailField, lazy, textField, usernameField } from '../fields.ts';
import { ref, USER_ENVELOPE } from '../responses.ts';
import { deleteMe } from './account-data.ts';

const username = usernameField('username');

const email = emailField('email');

/** Length limits are enforced by the password policy (in characters); this only bounds the input size. */
const password = textField('password').check(z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }));

const profileField = (field: string, required: boolean) => {
  const value = textField(field).check(z.trim(), z.maxLength(255, { error: 'Use at most 255 characters.' }));
  return required ? value.check(z.minLength(1, { error: 'This field is required.' })) : z.optional(value);
};

/** The register body; REQUIRED_PROFILE_FIELDS decides which profile fields are mandatory. */
export function registerSchema(requiredProfileFields: readonly ProfileField[]) {
  const profile = Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, profileField(field, requiredProfileFields.includes(field))]),
    // Typed as optional for all: which ones are required is configuration, checked at run time.
  ) as unknown as Record<ProfileField, z.ZodMiniOptional<z.ZodMiniString>>;
  return z.strictObject({ username, email, password, ...profile });
}

export const register = operation({
  method: 'POST',
  path: '/register',
  tag: 'Accounts',
  summary:
    'Create an account and mail a link to confirm its email address. With REGISTRATION_DISCLOSURE=email: 202 {message} whether or not the address already had an account (its owner is told by mail); a taken username is still 409.',
  // The use case validates (lib/use-cases/register.ts): the schema's and the password policy's
  // problems together, so one 400 names every bad field at once.
  validatedBy: 'use-case',
  setsPassword: true,
  request: lazy(() => registerSchema(accountsConfig().requiredProfileFields)),
  example: { username: 'jane', email: 'jane@example.com', password: 'correct horse battery staple' },
  auth: 'none',
  guard: 'register',
  success: { status: 201, body: USER_ENVELOPE },
});

export const me = operation({
  method: 'GET',
  path: '/me',
  tag: 'Accounts',
  summary: 'The account behind a bearer token.',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { is_authenticated: { const: true }, user: ref('User') } } },
});

export const registerLambda: LambdaDeclaration = {
  name: 'register',
  file: 'register',
  httpApiPaths: ['/register'],
  dialect: 'problem',
  operations: [register],
};
export const meLambda: LambdaDeclaration = { name: 'me', file: 'me', httpApiPaths: ['/me'], dialect: 'problem', operations: [me, deleteMe] };
