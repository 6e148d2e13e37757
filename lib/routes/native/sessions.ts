// Sessions: log in, refresh, log out, log out everywhere. Declarations and request schemas.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { loginField, noFields, textField } from '../fields.ts';
import { SESSION_TOKENS, USER_ENVELOPE } from '../responses.ts';

/** The credential fields of a login, shared with POST /service-token's password form and the dialects. */
export const credentialFields = {
  username: z.optional(loginField('username')),
  email: z.optional(loginField('email')),
  password: textField('password').check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }),
  ),
};

export const loginSchema = z.strictObject(credentialFields);

/** Our refresh tokens are 43 base64url characters; anything far longer is not one of them. */
export const refreshTokenField = (field: string) =>
  textField(field).check(z.minLength(1, { error: 'This field must not be empty.' }), z.maxLength(512, { error: 'This is not a refresh token.' }));

export const refreshSchema = z.strictObject({ refresh_token: refreshTokenField('refresh_token') });

export const logoutSchema = z.strictObject({ refresh_token: z.optional(refreshTokenField('refresh_token')) });

const TAG = 'Sessions';

export const login = operation({
  method: 'POST',
  path: '/login',
  tag: TAG,
  summary: 'Log in with {username | email, password} or HTTP Basic: an access token and a refresh token.',
  request: loginSchema,
  bodyOptional: true,
  example: { username: 'jane', password: 'correct horse battery staple' },
  auth: 'basic',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: { allOf: [{ $ref: '#/components/schemas/SessionTokens' }, USER_ENVELOPE] } },
});

export const refresh = operation({
  method: 'POST',
  path: '/refresh',
  tag: TAG,
  summary: 'Rotate a refresh token: new access and refresh tokens; a reused token ends the session.',
  request: refreshSchema,
  auth: 'none',
  success: { status: 200, body: SESSION_TOKENS },
});

export const logout = operation({
  method: 'POST',
  path: '/logout',
  tag: TAG,
  summary: 'End the session of the access token (and of {refresh_token}, if sent); the refresh token alone is enough when the access token has expired.',
  request: logoutSchema,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const logoutAll = operation({
  method: 'POST',
  path: '/logout/all',
  tag: TAG,
  summary: 'End every session of the logged-in user, on every device.',
  request: noFields,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const loginLambda: LambdaDeclaration = {
  name: 'login',
  file: 'login',
  httpApiPaths: ['/login'],
  dialect: 'problem',
  signsTokens: true,
  operations: [login],
};
export const refreshLambda: LambdaDeclaration = {
  name: 'refresh',
  file: 'refresh',
  httpApiPaths: ['/refresh'],
  dialect: 'problem',
  signsTokens: true,
  operations: [refresh],
};
export const logoutLambda: LambdaDeclaration = { name: 'logout', file: 'logout', httpApiPaths: ['/logout'], dialect: 'problem', operations: [logout] };
export const logoutAllLambda: LambdaDeclaration = {
  name: 'logoutAll',
  file: 'logout-all',
  httpApiPaths: ['/logout/all'],
  dialect: 'problem',
  operations: [logoutAll],
};
