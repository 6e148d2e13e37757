// miniSASS (../shared/seeds/003), a Django REST Framework + simplejwt API under
// /authentication/api/: login, token, refresh (also token/refresh/), check-auth-status, logout,
// register (camelCase organisation fields, mandatory here), request-reset. Bodies are read as DRF
// reads them (./drf-fields.ts). Declarations and request schemas only; the handlers are in
// ./minisass-handlers.ts, errors in DRF's and simplejwt's shapes (./envelopes.ts).
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { freeFormObject } from '../free-form.ts';
import { registerSchema } from '../native/accounts.ts';
import { forgotPasswordSchema } from '../native/password-and-email.ts';
import { ANY_JSON } from '../responses.ts';
import { drfBody, drfChar, drfLogin, drfPassword } from './drf-fields.ts';
import { miniSassError } from './envelopes.ts';

/**
 * The login body as the real miniSASS frontend sends it, read as its view reads it: unknown keys
 * ignored, every field optional, blank or null (the frontend sends usernameForEmailRetrieval as ""
 * or null). Missing credentials are a 401, as Django's authenticate() answers them.
 */
export const miniSassLoginSchema = drfBody({
  email: drfLogin({ required: false, allowBlank: true, allowNull: true }),
  username: drfLogin({ required: false, allowBlank: true, allowNull: true }),
  // miniSASS's login form sends the username alongside, "for email retrieval".
  usernameForEmailRetrieval: drfLogin({ required: false, allowBlank: true, allowNull: true }),
  password: drfPassword({ required: false, allowBlank: true, allowNull: true }),
});
/** simplejwt's TokenObtainPairSerializer: username and password required, not blank, not null. */
export const miniSassTokenSchema = drfBody({ username: drfLogin(), password: drfPassword() });
/** simplejwt's TokenRefreshSerializer. */
export const miniSassRefreshSchema = drfBody({ refresh: drfChar() });
export const miniSassLogoutSchema = drfBody({ refresh: drfChar({ required: false, allowBlank: true, allowNull: true }) });
/** request-reset's {email}: DRF's words for absent, null and blank, then our mailbox rules. */
export const miniSassRequestResetSchema = drfBody({ email: z.pipe(drfChar(), forgotPasswordSchema.shape.email) });

/** miniSASS's camelCase names for our profile fields; here they are mandatory, as it documents. */
export const CAMEL_FIELDS = { organizationType: 'organisation_type', organizationName: 'organisation_name', country: 'country' } as const;
/** The native register schema the miniSASS body is validated with, once its fields are renamed. */
export const miniSassNativeRegisterSchema = registerSchema(['organisation_type', 'organisation_name', 'country']);
export const additionalFields = z.optional(
  z.union([z.string().check(z.maxLength(2000)), freeFormObject(z.string().check(z.maxLength(1000)))], {
    error: 'additional_fields must be text or an object of texts.',
  }),
);
/**
 * The register body as miniSASS documents it and its frontend sends it: the native fields,
 * organisation fields in camelCase, first and last name also as `name` and `surname`, and
 * `confirmPassword`, which must equal `password`. Unknown keys are ignored, as DRF does.
 */
export const miniSassRegisterSchema = (() => {
  const { organisation_type, organisation_name, country, first_name, last_name, ...rest } = miniSassNativeRegisterSchema.shape;
  return z.object({
    ...rest,
    first_name,
    last_name,
    name: first_name,
    surname: last_name,
    confirmPassword: z.optional(z.string()),
    organizationType: organisation_type,
    organizationName: organisation_name,
    country,
    additional_fields: additionalFields,
  });
})();

const TAG = 'Compatibility: miniSASS';
const BASE = '/authentication/api';

export const miniSassLogin = operation({
  method: 'POST',
  path: `${BASE}/login`,
  tag: TAG,
  summary:
    'Log in with email (or username) and password; JSON, form-urlencoded or multipart. Returns the tokens as access/refresh and access_token/refresh_token, and the user.',
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
  summary:
    'A new access token for a refresh token (simplejwt). MINISASS_REFRESH=reusable (default): the refresh token stays valid and the answer is {access}; rotate: it is single use and the answer adds the new refresh token.',
  request: miniSassRefreshSchema,
  auth: 'none',
  success: { status: 200, body: ANY_JSON },
});

/** simplejwt's own path for refresh/ (the real miniSASS serves only this one; its document says refresh/). */
export const miniSassTokenRefresh = operation({ ...miniSassRefresh, path: `${BASE}/token/refresh` });

export const miniSassCheckAuthStatus = operation({
  method: 'GET',
  path: `${BASE}/check-auth-status`,
  tag: TAG,
  summary: 'The logged-in user (is_authenticated, username, email, is_admin, ...); 401 without a valid access token, as its IsAuthenticated view.',
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
  request: miniSassRequestResetSchema,
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
  errors: miniSassError,
  operations: [
    miniSassLogin,
    miniSassToken,
    miniSassRefresh,
    miniSassTokenRefresh,
    miniSassCheckAuthStatus,
    miniSassLogout,
    miniSassRegister,
    miniSassRequestReset,
  ],
};
