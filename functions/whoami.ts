// GET /whoami: a route behind the Lambda authorizer, answering with what the authorizer passed on.
// It shows the wiring another API copies, and lets a deployer check a token end to end.
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';

interface AuthorizerView {
  lambda?: Record<string, string>;
}

export const handler = httpRoute({ methods: ['GET'], summary: 'What the Lambda authorizer passed on for the bearer token.' }, async (event) => {
  const context = (event.requestContext as { authorizer?: AuthorizerView }).authorizer?.lambda ?? {};
  return json(200, { authorizer: context });
});
