// DELETE /mfa/webauthn/{id}: removes one of the caller's passkeys. Needs a sign-in with MFA within
// STEP_UP_MAX_AGE (else 401 step_up_required); another user's or an unknown id answers 404.
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { deletePasskey, passkeyLambda } from '../lib/routes/native/passkeys.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { removePasskey } from '../lib/use-cases/passkeys.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(passkeyLambda, [
  implement(deletePasskey, async ({ event, params }) => {
    const caller = await currentUser(bearerToken(event), deps);
    await removePasskey(caller.user, params.id ?? '', deps, tokenAuthentication(caller.claims));
    return noContent();
  }),
]);
