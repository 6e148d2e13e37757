// POST /login/mfa {mfa_token, code | recovery_code}: the second step of a login answered
// 401 mfa_required. 200 with the usual /login answer (tokens with amr pwd+otp+mfa, acr aal2) and a
// new device proof; wrong codes count against the token and the account's failed logins.
import { shownDeviceProof, withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { json } from '../lib/http/response.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { userView } from '../lib/http/user-view.ts';
import { loginMfa, loginMfaLambda } from '../lib/routes/native/mfa.ts';
import { finishMfaLogin, secondFactorAnswerFromBody, verifySecondFactor } from '../lib/use-cases/mfa-login.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  loginMfaLambda,
  [
    implement(loginMfa, async ({ event, body }) => {
      const { mfa_token: mfaToken, ...answer } = body!;
      const verified = await verifySecondFactor(mfaToken, secondFactorAnswerFromBody(answer), deps, { deviceProof: shownDeviceProof(event) });
      const result = await finishMfaLogin(verified.user, verified.authentication, deps);
      const reply = json(200, { ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
      return withDeviceProof(reply, event, result.deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
