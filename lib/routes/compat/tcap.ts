// TCAP (../shared/seeds/000): the short-lived service token, and the JWT login with its user.
// Thin adapters over the native use cases: only the request and answer shapes are TCAP's.
import * as z from 'zod/mini';
import { ipBudget } from '../../abuse/ip-budget.ts';
import type { Dependencies } from '../../app.ts';
import { loginField } from '../fields.ts';
import { bearerToken } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import type { RouteSpec } from '../../http/router.ts';
import { validate } from '../../domain/validation.ts';
import type { User } from '../../store/users.ts';
import { issueAccessToken } from '../../tokens/access-tokens.ts';
import { authenticateUser } from '../../use-cases/login.ts';
import { credentialFields } from '../native/sessions.ts';
import { serviceTokenSchema } from '../native/service-tokens.ts';
import { findService, issueServiceTokenFor } from '../../use-cases/service-token.ts';

const tcapLoginSchema = z.strictObject({ username: loginField('username'), password: credentialFields.password });
const serviceLoginSchema = z.strictObject({
  username: loginField('username'),
  password: credentialFields.password,
  requested_service: serviceTokenSchema.shape.requested_service,
});

/** The user as TCAP's /token-auth/tcap/ shows it. */
export function tcapUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    first_name: user.profile.first_name ?? '',
    last_name: user.profile.last_name ?? '',
    email: user.email,
    organisation: user.profile.organisation_name ?? '',
    permissions: user.permissions,
    job_title: user.profile.job_title ?? '',
    // We keep no terms-of-service acceptance; TCAP clients read these as empty strings.
    terms: '',
    terms_archive: '',
    email_verified: user.emailVerified,
  };
}

export function tcapRoutes(deps: Dependencies): RouteSpec[] {
  return [
    {
      method: 'POST',
      path: '/token-auth/api/login',
      guard: ipBudget('service-token', deps),
      request: serviceLoginSchema,
      auth: 'password',
      summary: 'A short-lived (5-minute) service token for requested_service, from username and password.',
      async handle(event) {
        const body = validate(serviceLoginSchema, event.parsedBody ?? {});
        const user = await authenticateUser({ login: body.username.trim(), password: body.password }, deps);
        const { token } = await issueServiceTokenFor(user, body.requested_service, deps);
        return json(200, { service_token: token.token });
      },
    },
    {
      method: 'POST',
      path: '/token-auth/tcap',
      guard: ipBudget('login', deps),
      request: tcapLoginSchema,
      auth: 'password',
      summary: 'Log in with username and password: a JWT access token and the user.',
      async handle(event) {
        const body = validate(tcapLoginSchema, event.parsedBody ?? {});
        const user = await authenticateUser({ login: body.username.trim(), password: body.password }, deps);
        const access = await issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
        return json(200, { token: access.token, user: tcapUser(user) });
      },
    },
    {
      // What a TCAP-style service sees: it accepts only its own service tokens, and answers an
      // expired one with 403 and TCAP's documented text. Useful to check a service token.
      method: 'GET',
      path: '/token-auth/api/services/{service}/whoami',
      auth: 'bearer',
      summary: 'Checks a service token as the named service would: 200 with the user, or 403 when it has expired.',
      async handle(event, params) {
        const service = findService(params.service ?? '', deps.config.services);
        const { user } = await deps.tokenChecker.check(bearerToken(event), service?.id ?? '');
        return json(200, { service: service!.name, user: tcapUser(user) });
      },
    },
  ];
}
