// TCAP's handlers (declared in ./tcap.ts): thin adapters over the native use cases; only the
// request and answer shapes are TCAP's.

import type { NumberedUser } from '../../domain/user-number.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { bearerToken } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import type { currentUser } from '../../use-cases/current-user.ts';
import { authenticate, type authenticateUser } from '../../use-cases/login.ts';
import { findService, issueServiceTokenFor } from '../../use-cases/service-token.ts';
import { sessionlessAccessToken } from '../../use-cases/sessions.ts';
import { numberedUser } from '../../use-cases/user-numbers.ts';
import { tcapLogin, tcapServiceLogin, tcapServiceWhoami } from './tcap.ts';

/**
 * The user as TCAP's /token-auth/tcap/ shows it: `id` is an integer, as TCAP documents (`"id": 1`,
 * Django's primary key); the UUID, which our tokens carry as `sub`, is `uuid`.
 */
export function tcapUser(user: NumberedUser) {
  return {
    id: user.number,
    uuid: user.id,
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

/** What TCAP's handlers need: the dependencies of the use cases and token issuers they call. */
type Deps = Parameters<typeof authenticateUser>[1] &
  Parameters<typeof issueServiceTokenFor>[2] &
  Parameters<typeof currentUser>[1] &
  Parameters<typeof numberedUser>[1];

export function tcapImplementations(deps: Deps): Implementation[] {
  return [
    implement(tcapServiceLogin, async ({ event, body }) => {
      // All required, not null, not blank, trimmed (passwords excepted): the schema has made them text.
      const { username, password, requested_service } = body as { username: string; password: string; requested_service: string };
      const { deviceProof, result } = await authenticate({ login: username, password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
        issueServiceTokenFor(user, requested_service, deps),
      );
      return withDeviceProof(json(200, { service_token: result.token.token }), event, deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
    implement(tcapLogin, async ({ event, body }) => {
      const { username, password } = body as { username: string; password: string };
      const { user, deviceProof, result } = await authenticate({ login: username, password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
        sessionlessAccessToken(user, deps),
      );
      return withDeviceProof(
        json(200, { token: result.token, user: tcapUser(await numberedUser(user, deps)) }),
        event,
        deviceProof,
        deps.config.loginThrottle.deviceProofTtlSeconds,
      );
    }),
    implement(tcapServiceWhoami, async ({ event, params }) => {
      const service = findService(params.service ?? '', deps.config.services);
      const { user } = await deps.tokenChecker.check(bearerToken(event), service?.id ?? '');
      return json(200, { service: service!.name, user: tcapUser(await numberedUser(user, deps)) });
    }),
  ];
}
