// EclecticIQ's handler (declared in ./eclecticiq.ts): the native login, answered as
// {expires_at, token}.
import type * as z from 'zod/mini';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement, type OperationFunction } from '../../http/endpoint.ts';
import { json } from '../../http/response.ts';
import type { currentUser } from '../../use-cases/current-user.ts';
import { authenticate, type authenticateUser } from '../../use-cases/login.ts';
import { sessionlessAccessToken } from '../../use-cases/sessions.ts';
import { type authSchema, eclecticIqApiAuth, eclecticIqAuth } from './eclecticiq.ts';

/** EclecticIQ writes expiry as ISO 8601 with an explicit +00:00 offset. */
const withOffset = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

/** What EclecticIQ's handler needs: the dependencies of the login and of the access token's signer. */
type Deps = Parameters<typeof authenticateUser>[1] &
  Pick<Parameters<typeof currentUser>[1], 'accessTokens'> & { signer: Parameters<typeof sessionlessAccessToken>[1]['signer'] };

export function eclecticIqImplementations(deps: Deps): Implementation[] {
  const auth: OperationFunction<z.output<typeof authSchema> | undefined> = async ({ event, body }) => {
    const { username, password } = body!;
    const { deviceProof, result: access } = await authenticate({ login: username.trim(), password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
      sessionlessAccessToken(user, deps),
    );
    return withDeviceProof(
      json(200, { expires_at: withOffset(access.expiresAt), token: access.token }),
      event,
      deviceProof,
      deps.config.loginThrottle.deviceProofTtlSeconds,
    );
  };
  return [implement(eclecticIqAuth, auth), implement(eclecticIqApiAuth, auth)];
}
