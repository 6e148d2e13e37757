// miniSASS's handlers (declared in ./minisass.ts): thin adapters over the native use cases, with
// simplejwt's token pair and the user as miniSASS shows it.
import { AppError, type FieldError, ValidationError } from '../../domain/errors.ts';
import type { NumberedUser } from '../../domain/user-number.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { bearerToken } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import { authenticate, type authenticateUser } from '../../use-cases/login.ts';
import { logout } from '../../use-cases/logout.ts';
import { requestPasswordReset } from '../../use-cases/password-reset-request.ts';
import { validateRegistration } from '../../use-cases/register.ts';
import { REGISTRATION_RECEIVED, type RegistrationOutcome, registerAccount } from '../../use-cases/registration.ts';
import { refreshSession, type SessionTokens, startSession } from '../../use-cases/sessions.ts';
import { numberedUser } from '../../use-cases/user-numbers.ts';
import { freeFormKeysProblem } from '../free-form.ts';
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

/** What miniSASS's handlers need: the dependencies of the use cases they call. */
type Deps = Parameters<typeof authenticateUser>[1] &
  Parameters<typeof startSession>[1] &
  Parameters<typeof currentUser>[1] &
  Parameters<typeof logout>[2] &
  Parameters<typeof registerAccount>[1] &
  Parameters<typeof requestPasswordReset>[1] &
  Parameters<typeof numberedUser>[1];

const simplejwtPair = (tokens: SessionTokens) => ({ access: tokens.accessToken.token, refresh: tokens.refreshToken });

/** Registers from miniSASS's body: camelCase organisation fields mapped, errors named as sent. */
async function registerFromBody(body: Record<string, unknown>, deps: Deps): Promise<RegistrationOutcome> {
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
    // Its keys become names in a stored map: a bad one is named precisely (DynamoDB would refuse some, a 500).
    const keyProblem = freeFormKeysProblem(additional_fields);
    if (keyProblem) throw new ValidationError([{ field: 'additional_fields', message: `additional_fields ${keyProblem}` }]);
    if (!extras.success) throw new ValidationError([{ field: 'additional_fields', message: 'additional_fields must be text or an object of texts.' }]);
    const input = await validateRegistration(native, miniSassNativeRegisterSchema);
    return await registerAccount(input, deps, extras.data === undefined ? {} : { additionalFields: extras.data });
  } catch (error) {
    if (!(error instanceof AppError) || !error.errors) throw error;
    const renamed: FieldError[] = error.errors.map((e) => ({ ...e, field: toCamel[e.field] ?? e.field }));
    throw error instanceof ValidationError ? new ValidationError(renamed, error.message) : error;
  }
}

export function miniSassImplementations(deps: Deps): Implementation[] {
  return [
    implement(miniSassLogin, async ({ event, body }) => {
      const { email, username, usernameForEmailRetrieval, password } = body!;
      const login = email ?? username ?? usernameForEmailRetrieval;
      if (!login) throw new ValidationError([{ field: 'email', message: 'This field is required.' }]);
      const { user, deviceProof, result } = await authenticate({ login: login.trim(), password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
        startSession(user, deps),
      );
      return withDeviceProof(
        json(200, { ...simplejwtPair(result), user: drfUser(await numberedUser(user, deps)) }),
        event,
        deviceProof,
        deps.config.loginThrottle.deviceProofTtlSeconds,
      );
    }),
    implement(miniSassToken, async ({ event, body }) => {
      const { username, password } = body!;
      const { deviceProof, result } = await authenticate({ login: username.trim(), password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
        startSession(user, deps),
      );
      return withDeviceProof(json(200, simplejwtPair(result)), event, deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
    implement(miniSassRefresh, async ({ body }) => json(200, simplejwtPair(await refreshSession(body!.refresh, deps)))),
    implement(miniSassCheckAuthStatus, async ({ event }) => {
      const token = bearerToken(event);
      if (!token) return json(200, { is_authenticated: false });
      const { user } = await currentUser(token, deps);
      return json(200, { is_authenticated: true, ...drfUser(await numberedUser(user, deps)) });
    }),
    implement(miniSassLogout, async ({ event, body }) => {
      const { refresh } = body!;
      const token = bearerToken(event);
      const caller = token || !refresh ? await currentUser(token, deps) : undefined;
      await logout(caller, refresh, deps);
      return json(200, { detail: 'Successfully logged out.' });
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
