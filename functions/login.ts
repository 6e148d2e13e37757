// POST /login: {username | email, password} or HTTP Basic. 200 with an access and a refresh token.
import { ipBudget } from '../lib/abuse/ip-budget.ts';
import { dependencies } from '../lib/app.ts';
import { basicCredentials } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { validate } from '../lib/domain/validation.ts';
import { credentialsFromBody, login, loginSchema } from '../lib/use-cases/login.ts';
import { userView } from '../lib/user-view.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'Log in with {username | email, password} or HTTP Basic: an access token and a refresh token.', guard: ipBudget('login', deps) }, async (event) => {
  const body = event.parsedBody ?? {};
  const basic = Object.keys(body).length === 0 ? basicCredentials(event) : undefined;
  const credentials = basic ?? credentialsFromBody(validate(loginSchema, body));
  const result = await login(credentials, deps);
  return json(200, { ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
});
