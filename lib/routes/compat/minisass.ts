// miniSASS (../shared/seeds/003), a Django REST Framework + simplejwt API under
// /authentication/api/: login, token, refresh, check-auth-status, logout, register (camelCase
// organisation fields, mandatory here), request-reset. Declarations and request schemas only; the
// handlers are in ./minisass-handlers.ts, errors in DRF's shape (./envelopes.ts).
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { loginField } from '../fields.ts';
import { freeFormObject } from '../free-form.ts';
import { registerSchema } from '../native/accounts.ts';
import { forgotPasswordSchema } from '../native/password-and-email.ts';
import { credentialFields, refreshTokenField } from '../native/sessions.ts';
import { ANY_JSON } from '../responses.ts';
import { drfError } from './envelopes.ts';

export const miniSassLoginSchema = z.strictObject({
  email: credentialFields.email,
  username: credentialFields.username,
  // miniSASS's login form sends the username alongside, "for email retrieval".
  usernameForEmailRetrieval: z.optional(loginField('usernameForEmailRetrieval')),
  password: credentialFields.password,
});
export const miniSassTokenSchema = z.strictObject({ username: loginField('username'), password: credentialFields.password });
export const miniSassRefreshSchema = z.strictObject({ refresh: refreshTokenField('refresh') });
export const miniSassLogoutSchema = z.strictObject({ refresh: z.optional(refreshTokenField('refresh')) });

/** miniSASS's camelCase names for our profile fields; here they are mandatory, as it documents. */
export const CAMEL_FIELDS = { organizationType: 'organisation_type', organizationName: 'organisation_name', country: 'country' } as const;
/** The native register schema the miniSASS body is validated with, once its fields are renamed. */
export const miniSassNativeRegisterSchema = registerSchema(['organisation_type', 'organisation_name', 'country']);
export const additionalFields = z.optional(
  z.union([z.string().check(z.maxLength(2000)), freeFormObject(z.string().check(z.maxLength(1000)))], {
    error: 'additional_fields must be text or an object of texts.',
  }),
);
/** The register body as miniSASS sends it: the native schema, organisation fields in camelCase. */
export const miniSassRegisterSchema = (() => {
  const { organisation_type, organisation_name, country, ...rest } = miniSassNativeRegisterSchema.shape;
  return z.strictObject({ ...rest, organizationType: organisation_type, organizationName: organisation_name, country, additional_fields: additionalFields });
})();

const TAG = 'Compatibility: miniSASS';
const BASE = '/authentication/api';

export const miniSassLogin = operation({
  method: 'POST',
  path: `${BASE}/login`,
  tag: TAG,
  summary: 'Log in with email (or username) and password; JSON, form-urlencoded or multipart. Returns the access and refresh tokens and the user.',
  request: miniSassLoginSchema,
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: ANY_JSON },
});

export const miniSassToken = operation({
  method: 'POST',
  path: `${BASE}/token`,
  tag: TAG,
  summary: 'Obtain an access and a refresh token from username and password (simplejwt).',
  request: miniSassTokenSchema,
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: ANY_JSON },
});

export const miniSassRefresh = operation({
  method: 'POST',
  path: `${BASE}/refresh`,
  tag: TAG,
  summary: 'A new access token for a refresh token; the refresh token rotates, so the new one is returned too.',
  request: miniSassRefreshSchema,
  auth: 'none',
  success: { status: 200, body: ANY_JSON },
});

export const miniSassCheckAuthStatus = operation({
  method: 'GET',
  path: `${BASE}/check-auth-status`,
  tag: TAG,
  summary: 'Whether the caller is logged in, with the user when so.',
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const miniSassLogout = operation({
  method: 'POST',
  path: `${BASE}/logout`,
  tag: TAG,
  summary: 'Log out: the access token (and the refresh token, if sent as {refresh}) stop working.',
  request: miniSassLogoutSchema,
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const miniSassRegister = operation({
  method: 'POST',
  path: `${BASE}/register`,
  tag: TAG,
  summary: 'Register: username, email, password, organizationType, organizationName and country are required; additional_fields are kept on the profile.',
  // The use case validates (with the password policy), after the camelCase fields are renamed, so
  // one 400 names every bad field as miniSASS sent it; this schema documents the body.
  validatedBy: 'use-case',
  setsPassword: true,
  request: miniSassRegisterSchema,
  auth: 'none',
  guard: 'register',
  success: { status: 201, body: ANY_JSON },
});

export const miniSassRequestReset = operation({
  method: 'POST',
  path: `${BASE}/request-reset`,
  tag: TAG,
  summary: 'Mail a password-reset link to {email}; the same answer whether or not the address has an account.',
  request: forgotPasswordSchema,
  auth: 'none',
  guard: 'password-forgot',
  success: { status: 200, body: ANY_JSON },
});

export const miniSassLambda: LambdaDeclaration = {
  name: 'compatMinisass',
  signsTokens: true,
  file: 'compat-minisass',
  httpApiPaths: ['/authentication/api/{proxy+}'],
  dialect: 'drf',
  errors: drfError,
  operations: [miniSassLogin, miniSassToken, miniSassRefresh, miniSassCheckAuthStatus, miniSassLogout, miniSassRegister, miniSassRequestReset],
};
