// POST /service-token {requested_service} with an access token, or {username, password,
// requested_service} as TCAP documents it: a 5-minute token that only that service accepts.
import { ipBudget } from '../lib/abuse/ip-budget.ts';
import { dependencies } from '../lib/app.ts';
import { ValidationError } from '../lib/domain/errors.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { serviceTokenBody } from '../lib/http/token-bodies.ts';
import { validate } from '../lib/domain/validation.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { authenticateUser, credentialsFromBody } from '../lib/use-cases/login.ts';
import { issueServiceTokenFor, serviceTokenSchema } from '../lib/use-cases/service-token.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'A short-lived token for one downstream service {requested_service}.', guard: ipBudget('service-token', deps) }, async (event) => {
  const { requested_service, password, ...login } = validate(serviceTokenSchema, event.parsedBody ?? {});
  const token = bearerToken(event);
  if (token && password !== undefined) {
    throw new ValidationError([{ field: 'password', message: 'Send an access token or a password, not both.' }]);
  }
  const user =
    password !== undefined
      ? await authenticateUser(credentialsFromBody({ ...login, password }), deps)
      : (await currentUser(token, deps)).user;
  const { service, token: serviceToken } = await issueServiceTokenFor(user, requested_service, deps);
  return json(200, serviceTokenBody(serviceToken, service.id, deps.clock.now()));
});
