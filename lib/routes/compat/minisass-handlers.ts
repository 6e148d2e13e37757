// miniSASS's handlers (declared in ./minisass.ts): thin adapters over the native use cases, with
// simplejwt's token pair and the user as miniSASS shows it.
import {
  AppError,
  ConflictError,
  type FieldError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MfaRequiredError,
  ValidationError,
} from '../../domain/errors.ts';
import type { NumberedUser } from '../../domain/user-number.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { bearerToken, header } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import { authenticate, type authenticateUser } from '../../use-cases/login.ts';
import { logout } from '../../use-cases/logout.ts';
import { requestPasswordReset } from '../../use-cases/password-reset-request.ts';
import { validateRegistration } from '../../use-cases/register.ts';
import { REGISTRATION_RECEIVED, type RegistrationOutcome, registerAccount } from '../../use-cases/registration.ts';
import { type ExtraClaims, refreshSession, refreshWithoutRotation, type SessionTokens, startSession } from '../../use-cases/sessions.ts';
import { numberedUser } from '../../use-cases/user-numbers.ts';
import { freeFormKeysProblem } from '../free-form.ts';
import { DRF_TEXTS } from './drf-fields.ts';
import {
  additionalFields,
  CAMEL_FIELDS,
  miniSassCheckAuthStatus,
  miniSassLogin,
  miniSassLogout,
  miniSassNativeRegisterSchema,
  miniSassRefresh,
  miniSassRegister,
  miniSassRequestReset,
  miniSassToken,
  miniSassTokenRefresh,
} from './minisass.ts';

/**
 * The user as miniSASS (Django REST Framework) shows it: `id` is Django's integer primary key; the
 * UUID, which our tokens carry as `sub`, is `uuid`.
 */
export function drfUser(user: NumberedUser) {
  return {
    id: user.number,
    uuid: user.id,
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

/**
 * The permission that makes a miniSASS user an administrator (`is_admin`, Django's is_staff); give
 * it with the admin CLI (`npm run admin -- grant <user> admin`, docs/operations.md).
 */
export const MINISASS_ADMIN_PERMISSION = 'admin';

/** What miniSASS's handlers need: the dependencies of the use cases they call. */
type Deps = Parameters<typeof authenticateUser>[1] &
  Parameters<typeof startSession>[1] &
  Parameters<typeof currentUser>[1] &
  Parameters<typeof logout>[2] &
  Parameters<typeof registerAccount>[1] &
  Parameters<typeof requestPasswordReset>[1] &
  Parameters<typeof numberedUser>[1];

/** simplejwt's claims beside ours: clients decode `user_id` (the integer id) and check `token_type`. */
const simplejwtClaims =
  (deps: Deps): ExtraClaims =>
  async (user) => ({ user_id: (await numberedUser(user, deps)).number, token_type: 'access' });

const simplejwtPair = (tokens: SessionTokens) => ({ access: tokens.accessToken.token, refresh: tokens.refreshToken });

/**
 * The login answer: simplejwt's pair and our `user`, beside the names the real miniSASS login view
 * answers with (its frontend sends `Bearer ${access_token}` and reads the rest). We keep no
 * "must change password" state, so is_password_enforced (and is_profile_updated, its later name)
 * is true: the frontend opens its "set a new password" dialog only when it is false.
 */
function loginAnswer(tokens: SessionTokens, user: NumberedUser) {
  return {
    ...simplejwtPair(tokens),
    access_token: tokens.accessToken.token,
    refresh_token: tokens.refreshToken,
    username: user.username,
    email: user.email,
    is_authenticated: true,
    is_admin: user.permissions.includes(MINISASS_ADMIN_PERMISSION),
    is_password_enforced: true,
    is_profile_updated: true,
    user: drfUser(user),
  };
}

/** The real login view's answer to wrong, missing or unknown credentials (it has no serializer). */
const LOGIN_REFUSED = { error: 'Invalid credentials' };

/** Fields of the register body read as DRF CharFields before the native rules: required ones, and optional ones. */
const REQUIRED_TEXT = ['username', 'email', 'password', 'organizationType', 'organizationName', 'country'] as const;
const OPTIONAL_TEXT = ['first_name', 'last_name', 'name', 'surname', 'confirmPassword'] as const;

/** The first DRF CharField problem of `value`, if any (blank is fine for optional fields, as Django's names are). */
function drfTextProblem(value: unknown, required: boolean, trim: boolean): string | undefined {
  if (value === undefined) return required ? DRF_TEXTS.required : undefined;
  if (value === null) return DRF_TEXTS.null;
  if (typeof value !== 'string') return DRF_TEXTS.invalid;
  if (required && (trim ? value.trim() : value) === '') return DRF_TEXTS.blank;
  return undefined;
}

/** DRF's unique validators' words for a taken username or email (a 400 naming the field, not our 409). */
const TAKEN: Record<string, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email already exists.',
};

/**
 * Registers from miniSASS's body, read as DRF reads it: unknown keys ignored, null / blank / absent
 * named per field in DRF's words; camelCase organisation fields and name / surname mapped to ours;
 * confirmPassword checked; errors named as sent.
 */
async function registerFromBody(body: Record<string, unknown>, deps: Deps): Promise<RegistrationOutcome> {
  const drfProblems: FieldError[] = [];
  for (const field of REQUIRED_TEXT) {
    const problem = drfTextProblem(body[field], true, field !== 'password');
    if (problem) drfProblems.push({ field, message: problem });
  }
  for (const field of OPTIONAL_TEXT) {
    const problem = drfTextProblem(body[field], false, true);
    if (problem) drfProblems.push({ field, message: problem });
  }
  const { confirmPassword, password } = body;
  if (typeof confirmPassword === 'string' && typeof password === 'string' && confirmPassword !== password) {
    drfProblems.push({ field: 'confirmPassword', message: 'Passwords do not match.' });
  }
  // Only the fields we know, under our names: anything else is ignored, as DRF ignores it.
  const firstName = body.first_name ?? body.name;
  const lastName = body.last_name ?? body.surname;
  const native: Record<string, unknown> = {};
  for (const field of ['username', 'email', 'password'] as const) if (body[field] !== undefined) native[field] = body[field];
  if (firstName !== undefined) native.first_name = firstName;
  if (lastName !== undefined) native.last_name = lastName;
  for (const [camel, snake] of Object.entries(CAMEL_FIELDS)) if (body[camel] !== undefined) native[snake] = body[camel];
  const sentAs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(CAMEL_FIELDS).map(([camel, snake]) => [snake, camel])),
    ...(body.first_name === undefined && body.name !== undefined ? { first_name: 'name' } : {}),
    ...(body.last_name === undefined && body.surname !== undefined ? { last_name: 'surname' } : {}),
  };
  const { additional_fields } = body;
  const extras = additionalFields.safeParse(additional_fields);
  // Its keys become names in a stored map: a bad one is named precisely (DynamoDB would refuse some, a 500).
  const keyProblem = freeFormKeysProblem(additional_fields);
  if (keyProblem) drfProblems.push({ field: 'additional_fields', message: `additional_fields ${keyProblem}` });
  else if (!extras.success) drfProblems.push({ field: 'additional_fields', message: 'additional_fields must be text or an object of texts.' });
  let input: Awaited<ReturnType<typeof validateRegistration>> | undefined;
  try {
    input = await validateRegistration(native, miniSassNativeRegisterSchema);
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.errors) throw error;
    // DRF's words first; the native rules' problems for the fields DRF found nothing wrong with.
    const named = new Set(drfProblems.map((e) => e.field));
    drfProblems.push(...error.errors.map((e) => ({ ...e, field: sentAs[e.field] ?? e.field })).filter((e) => !named.has(e.field)));
  }
  if (drfProblems.length || !input) throw new ValidationError(drfProblems);
  try {
    return await registerAccount(input, deps, extras.success && extras.data !== undefined ? { additionalFields: extras.data } : {});
  } catch (error) {
    // A taken name is DRF's 400 naming the field (its unique validators), not our 409.
    const taken = error instanceof ConflictError;
    if (!(taken || error instanceof ValidationError) || !error.errors?.length) throw error;
    throw new ValidationError(error.errors.map((e) => ({ field: sentAs[e.field] ?? e.field, message: (taken && TAKEN[e.field]) || e.message })));
  }
}

/** An access token sent as a refresh token looks like a JWT: simplejwt's "wrong type". */
const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
/** Our refresh tokens: 43 base64url characters. Sent as an access token, simplejwt's "wrong type". */
const looksLikeRefreshToken = (token: string) => /^[\w-]{43}$/.test(token);

/**
 * The caller of a route behind simplejwt's JWTAuthentication: `Authorization: Bearer` with no
 * token (or more than one) is its "bad_authorization_header", and a refresh token sent as an access
 * token has the "wrong type"; everything else as currentUser refuses it.
 */
async function simplejwtCaller(event: Parameters<typeof bearerToken>[0], deps: Deps) {
  const parts = (header(event, 'authorization') ?? '').trim().split(/\s+/);
  if (parts[0] === 'Bearer' && parts.length !== 2) {
    throw new AppError('invalid_token', 'Authentication error: Invalid token.', { facts: { tokenProblem: 'bad_header' } });
  }
  const token = bearerToken(event);
  try {
    return await currentUser(token, deps);
  } catch (error) {
    if (error instanceof InvalidTokenError && token && looksLikeRefreshToken(token)) {
      throw new AppError('invalid_token', error.message, { facts: { tokenProblem: 'wrong_type' } });
    }
    throw error;
  }
}

export function miniSassImplementations(deps: Deps): Implementation[] {
  const claims = simplejwtClaims(deps);
  const refresh = refreshImplementation(deps, claims);
  return [
    implement(miniSassLogin, async ({ event, body }) => {
      const { email, username, usernameForEmailRetrieval, password } = body!;
      const login = email || username || usernameForEmailRetrieval;
      // Django's authenticate() with a missing email or password finds no one: the same 401.
      if (!login || !password) return json(401, LOGIN_REFUSED);
      try {
        const { user, deviceProof, result } = await authenticate({ login, password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
          startSession(user, deps, claims),
        );
        return withDeviceProof(
          json(200, loginAnswer(result, await numberedUser(user, deps))),
          event,
          deviceProof,
          deps.config.loginThrottle.deviceProofTtlSeconds,
        );
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return json(401, LOGIN_REFUSED);
        // The login view's own shape, {error}, which the frontend shows: it names MFA (issue 17).
        if (error instanceof MfaRequiredError) return json(401, { error: error.message, code: error.code });
        throw error;
      }
    }),
    implement(miniSassToken, async ({ event, body }) => {
      // Both required, not null, not blank: the schema has made them text.
      const { username, password } = body as { username: string; password: string };
      const { deviceProof, result } = await authenticate({ login: username, password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
        startSession(user, deps, claims),
      );
      return withDeviceProof(json(200, simplejwtPair(result)), event, deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
    implement(miniSassRefresh, refresh),
    implement(miniSassTokenRefresh, refresh),
    implement(miniSassCheckAuthStatus, async ({ event }) => {
      // IsAuthenticated: no token is 401 "Authentication credentials were not provided." (MissingTokenError).
      const { user } = await simplejwtCaller(event, deps);
      const numbered = await numberedUser(user, deps);
      return json(200, { is_authenticated: true, ...drfUser(numbered), is_admin: numbered.permissions.includes(MINISASS_ADMIN_PERMISSION) });
    }),
    implement(miniSassLogout, async ({ event, body }) => {
      const refresh = body!.refresh || undefined;
      const token = bearerToken(event);
      const caller = token || !refresh ? await simplejwtCaller(event, deps) : undefined;
      await logout(caller, refresh, deps);
      // The real logout view's answer (kartoza/miniSASS authentication/views.py).
      return json(200, { message: 'Logout successful' });
    }),
    implement(miniSassRegister, async ({ body }) => {
      // Validated by the use case (validatedBy: 'use-case'): the body as parsed, or none.
      const outcome = await registerFromBody((body ?? {}) as Record<string, unknown>, deps);
      // In email mode both a new and a taken address get this same 201 (miniSASS documents 201),
      // without the account: its integer id would tell a new account from a fake one.
      return json(201, outcome.disclosed ? drfUser(await numberedUser(outcome.user, deps)) : { detail: REGISTRATION_RECEIVED });
    }),
    implement(miniSassRequestReset, async ({ body }) => {
      await requestPasswordReset(body!.email, deps);
      return json(200, { message: 'If an account exists for this email address, we have sent instructions to reset the password.' });
    }),
  ];
}

/**
 * refresh/ and token/refresh/, as MINISASS_REFRESH says: simplejwt's reusable refresh token
 * (answer {access}) or rotation (answer {access, refresh}).
 */
function refreshImplementation(deps: Deps, claims: ExtraClaims) {
  return async ({ body }: { body?: { refresh: string | null | undefined } }) => {
    const token = body!.refresh!;
    if (looksLikeJwt(token)) throw new InvalidRefreshTokenError('wrong_type');
    if (deps.config.miniSassRefresh === 'rotate') return json(200, simplejwtPair(await refreshSession(token, deps, claims)));
    return json(200, { access: (await refreshWithoutRotation(token, deps, claims)).token });
  };
}
