// GET /mfa: the caller's second factors (type, id, name, created, last used), never a secret.
import { implement, serve } from '../lib/http/endpoint.ts';
import { mfaFactorView } from '../lib/http/mfa-factor-view.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { listFactors, mfaFactorsLambda } from '../lib/routes/native/mfa.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { listFactors as list } from '../lib/use-cases/mfa-totp.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(mfaFactorsLambda, [
  implement(listFactors, async ({ event }) => {
    const { user } = await currentUser(bearerToken(event), deps);
    return json(200, { factors: (await list(user, deps)).map(mfaFactorView) });
  }),
]);
