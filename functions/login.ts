// POST /login: {username | email, password} or HTTP Basic. 200 with an access and a refresh token,
// and a device proof (Device-Proof header and cookie) for the next logins.

import { validate } from '../lib/domain/validation.ts';
import { shownDeviceProof, withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { basicCredentials } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { userView } from '../lib/http/user-view.ts';
import { login, loginLambda, loginSchema } from '../lib/routes/native/sessions.ts';
import { credentialsFromBody, login as logIn } from '../lib/use-cases/login.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  loginLambda,
  [
    implement(login, async ({ event, body }) => {
      // An empty body means HTTP Basic; without that either, the schema names what is missing.
      const credentials = (body === undefined ? basicCredentials(event) : undefined) ?? credentialsFromBody(body ?? validate(loginSchema, {}));
      const result = await logIn(credentials, deps, { deviceProof: shownDeviceProof(event), secondStep: 'ask' });
      const answer = json(200, { ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
      return withDeviceProof(answer, event, result.deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
