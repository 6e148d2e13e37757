// POST /mfa/recovery-codes: new recovery codes, shown once; the old ones stop working (step-up).
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { mfaRecoveryCodesLambda, regenerateRecoveryCodes } from '../lib/routes/native/mfa.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { regenerateRecoveryCodes as regenerate } from '../lib/use-cases/mfa-totp.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(mfaRecoveryCodesLambda, [
  implement(regenerateRecoveryCodes, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    return json(200, { recovery_codes: await regenerate(caller.user, deps, tokenAuthentication(caller.claims)) });
  }),
]);
