// miniSASS (../shared/seeds/003), a Django REST Framework + simplejwt API under
// /authentication/api/: login, token, refresh, check-auth-status, logout, register (camelCase
// organisation fields, mandatory here), request-reset. Thin adapters over the native use cases;
// errors in DRF's shape (lib/compat/envelopes.ts).
import * as z from 'zod/mini';
import { ipBudget } from '../../abuse/ip-budget.ts';
import type { Dependencies } from '../../wiring/dependencies.ts';
import { AppError, ValidationError, type FieldError } from '../../domain/errors.ts';
import { loginField } from '../fields.ts';
import { bearerToken } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import type { RouteSpec } from '../../http/router.ts';
import { validate } from '../../domain/validation.ts';
import type { User } from '../../domain/user.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import { authenticateUser, credentialFields } from '../../use-cases/login.ts';
import { logout } from '../../use-cases/logout.ts';
import { requestPasswordReset, forgotPasswordSchema } from '../../use-cases/password-reset.ts';
import { register, registerSchema, validateRegistration } from '../../use-cases/register.ts';
import { refreshSession, refreshTokenField, startSession, type SessionTokens } from '../../use-cases/sessions.ts';
import { sendVerificationMail } from '../../use-cases/email-verification.ts';

const loginSchema = z.strictObject({
  email: credentialFields.email,
  username: credentialFields.username,
  // miniSASS's login form sends the username alongside, "for email retrieval".
  usernameForEmailRetrieval: z.optional(loginField('usernameForEmailRetrieval')),
  password: credentialFields.password,
});
const tokenSchema = z.strictObject({ username: loginField('username'), password: credentialFields.password });
const refreshSchema = z.strictObject({ refresh: refreshTokenField('refresh') });
const logoutSchema = z.strictObject({ refresh: z.optional(refreshTokenField('refresh')) });

/** miniSASS's camelCase names for our profile fields; here they are mandatory, as it documents. */
const CAMEL_FIELDS = { organizationType: 'organisation_type', organizationName: 'organisation_name', country: 'country' } as const;
const nativeRegisterSchema = registerSchema(['organisation_type', 'organisation_name', 'country']);
const additionalFields = z.optional(
  z.union([z.string().check(z.maxLength(2000)), z.record(z.string().check(z.maxLength(100)), z.string().check(z.maxLength(1000)))], {
    error: 'additional_fields must be text or an object of texts.',
  }),
);
/** The register body as miniSASS sends it: the native schema, organisation fields in camelCase. */
const registerDocSchema = (() => {
  const { organisation_type, organisation_name, country, ...rest } = nativeRegisterSchema.shape;
  return z.strictObject({ ...rest, organizationType: organisation_type, organizationName: organisation_name, country, additional_fields: additionalFields });
})();

function drfUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.profile.first_name ?? '',
    last_name: user.profile.last_name ?? '',
    organisation_type: user.profile.organisation_type ?? '',
    organisation_name: user.profile.organisation_name ?? '',
    country: user.profile.country ?? '',
    email_verified: user.emailVerified,
    ...(user.additionalFields !== undefined ? { additional_fields: user.additionalFields } : {}),
  };
}

const simplejwtPair = (tokens: SessionTokens) => ({ access: tokens.accessToken.token, refresh: tokens.refreshToken });

/** Registers from miniSASS's body: camelCase organisation fields mapped, errors named as sent. */
async function registerFromBody(body: Record<string, unknown>, deps: Dependencies): Promise<User> {
  const { additional_fields, ...rest } = body;
  const native: Record<string, unknown> = { ...rest };
  for (const [camel, snake] of Object.entries(CAMEL_FIELDS)) {
    if (camel in native) {
      native[snake] = native[camel];
      if (camel !== snake) delete native[camel];
    }
  }
  const extras = additionalFields.safeParse(additional_fields);
  const toCamel = Object.fromEntries(Object.entries(CAMEL_FIELDS).map(([camel, snake]) => [snake, camel]));
  try {
    if (!extras.success) throw new ValidationError([{ field: 'additional_fields', message: 'additional_fields must be text or an object of texts.' }]);
    const input = await validateRegistration(native, nativeRegisterSchema);
    return await register(input, deps, extras.data === undefined ? {} : { additionalFields: extras.data });
  } catch (error) {
    if (!(error instanceof AppError) || !error.errors) throw error;
    const renamed: FieldError[] = error.errors.map((e) => ({ ...e, field: toCamel[e.field] ?? e.field }));
    throw error instanceof ValidationError ? new ValidationError(renamed, error.message) : error;
  }
}

export function miniSassRoutes(deps: Dependencies): RouteSpec[] {
  const base = '/authentication/api';
  return [
    {
      method: 'POST',
      path: `${base}/login`,
      guard: ipBudget('login', deps),
      request: loginSchema,
      auth: 'password',
      summary: 'Log in with email (or username) and password; JSON, form-urlencoded or multipart. Returns the access and refresh tokens and the user.',
      async handle(event) {
        const body = validate(loginSchema, event.parsedBody ?? {});
        const login = body.email ?? body.username ?? body.usernameForEmailRetrieval;
        if (!login) throw new ValidationError([{ field: 'email', message: 'This field is required.' }]);
        const user = await authenticateUser({ login: login.trim(), password: body.password }, deps);
        return json(200, { ...simplejwtPair(await startSession(user, deps)), user: drfUser(user) });
      },
    },
    {
      method: 'POST',
      path: `${base}/token`,
      guard: ipBudget('login', deps),
      request: tokenSchema,
      auth: 'password',
      summary: 'Obtain an access and a refresh token from username and password (simplejwt).',
      async handle(event) {
        const body = validate(tokenSchema, event.parsedBody ?? {});
        const user = await authenticateUser({ login: body.username.trim(), password: body.password }, deps);
        return json(200, simplejwtPair(await startSession(user, deps)));
      },
    },
    {
      method: 'POST',
      path: `${base}/refresh`,
      request: refreshSchema,
      summary: 'A new access token for a refresh token; the refresh token rotates, so the new one is returned too.',
      async handle(event) {
        const { refresh } = validate(refreshSchema, event.parsedBody ?? {});
        return json(200, simplejwtPair(await refreshSession(refresh, deps)));
      },
    },
    {
      method: 'GET',
      path: `${base}/check-auth-status`,
      auth: 'bearer',
      summary: 'Whether the caller is logged in, with the user when so.',
      async handle(event) {
        const token = bearerToken(event);
        if (!token) return json(200, { is_authenticated: false });
        const { user } = await currentUser(token, deps);
        return json(200, { is_authenticated: true, ...drfUser(user) });
      },
    },
    {
      method: 'POST',
      path: `${base}/logout`,
      request: logoutSchema,
      auth: 'bearer',
      summary: 'Log out: the access token (and the refresh token, if sent as {refresh}) stop working.',
      async handle(event) {
        const { refresh } = validate(logoutSchema, event.parsedBody ?? {});
        const token = bearerToken(event);
        const caller = token || !refresh ? await currentUser(token, deps) : undefined;
        await logout(caller, refresh, deps);
        return json(200, { detail: 'Successfully logged out.' });
      },
    },
    {
      method: 'POST',
      path: `${base}/register`,
      guard: ipBudget('register', deps),
      request: registerDocSchema,
      summary: 'Register: username, email, password, organizationType, organizationName and country are required; additional_fields are kept on the profile.',
      async handle(event) {
        const user = await registerFromBody(event.parsedBody ?? {}, deps);
        await sendVerificationMail(user, deps);
        return json(201, drfUser(user));
      },
    },
    {
      method: 'POST',
      path: `${base}/request-reset`,
      guard: ipBudget('password-forgot', deps),
      request: forgotPasswordSchema,
      summary: 'Mail a password-reset link to {email}; the same answer whether or not the address has an account.',
      async handle(event) {
        const { email } = validate(forgotPasswordSchema, event.parsedBody ?? {});
        await requestPasswordReset(email, deps);
        return json(200, { message: 'If an account exists for this email address, we have sent instructions to reset the password.' });
      },
    },
  ];
}
