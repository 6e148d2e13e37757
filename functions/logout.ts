// POST /logout with the access token (and optionally {refresh_token}), or with only {refresh_token}
// when the access token has expired: 204, and that session is over.
import { dependencies } from '../lib/app.ts';
import { AppError } from '../lib/domain/errors.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { httpStatus } from '../lib/http/status.ts';
import { validate } from '../lib/domain/validation.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { logout, logoutSchema } from '../lib/use-cases/logout.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'Ends the session of the access token (and of {refresh_token}, if sent).' }, async (event) => {
  const { refresh_token } = validate(logoutSchema, event.parsedBody ?? {});
  const token = bearerToken(event);
  // With a refresh token in hand, an expired (or already revoked) access token must not stop the
  // client from ending its session: the refresh token alone is enough.
  const caller = token
    ? await currentUser(token, deps).catch((error: unknown) => {
        if (refresh_token && error instanceof AppError && httpStatus(error) === 401) return undefined;
        throw error;
      })
    : undefined;
  await logout(caller, refresh_token, deps);
  return noContent();
});
