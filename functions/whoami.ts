// GET /whoami: a route behind the Lambda authorizer, answering with what the authorizer passed on.
// It shows the wiring another API copies, and lets a deployer check a token end to end.
import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { whoami, whoamiLambda } from '../lib/routes/native/discovery.ts';

interface AuthorizerView {
  lambda?: Record<string, string>;
}

export const handler = serve(whoamiLambda, [
  implement(whoami, async ({ event }) => {
    const context = (event.requestContext as { authorizer?: AuthorizerView }).authorizer?.lambda ?? {};
    return json(200, { authorizer: context });
  }),
]);
