// POST /service-token {requested_service} with an access token, or {username, password,
// requested_service} as TCAP documents it: a 5-minute token that only that service accepts.

import { shownDeviceProof, withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { serviceTokenBody } from '../lib/http/token-bodies.ts';
import { serviceToken, serviceTokenLambda } from '../lib/routes/native/service-tokens.ts';
import { requestServiceToken } from '../lib/use-cases/service-token.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  serviceTokenLambda,
  [
    implement(serviceToken, async ({ event, body }) => {
      const { service, token, deviceProof } = await requestServiceToken(bearerToken(event), body!, deps, { deviceProof: shownDeviceProof(event) });
      const answer = json(200, serviceTokenBody(token, service.id, deps.clock.now()));
      // The password form is a login: it gets a device proof like one.
      return deviceProof ? withDeviceProof(answer, event, deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds) : answer;
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
