// POST /login/webauthn/options and POST /login/webauthn: signing in with a passkey (WebAuthn §7.2),
// as the second factor of a login answered mfa_required ({mfa_token}) or passwordless
// ({ceremony_id} from the options). 200 with the usual /login answer (amr hwk|swk + mfa, acr aal2)
// and a new device proof.
import { shownDeviceProof, withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { json } from '../lib/http/response.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { userView } from '../lib/http/user-view.ts';
import { loginWebauthnLambda, passkeyLogin, passkeyLoginOptions } from '../lib/routes/native/passkeys.ts';
import { passkeyLogin as logIn, passkeyLoginOptions as optionsFor } from '../lib/use-cases/passkey-login.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  loginWebauthnLambda,
  [
    implement(passkeyLoginOptions, async ({ body }) => {
      const { ceremonyId, options } = await optionsFor({ mfaToken: body?.mfa_token }, deps);
      return json(200, { ...(ceremonyId ? { ceremony_id: ceremonyId } : {}), options });
    }),
    implement(passkeyLogin, async ({ event, body }) => {
      const { mfa_token: mfaToken, ceremony_id: ceremonyId, response } = body!;
      const result = await logIn({ mfaToken, ceremonyId, response }, deps, { deviceProof: shownDeviceProof(event) });
      const answer = json(200, { ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
      return withDeviceProof(answer, event, result.deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
