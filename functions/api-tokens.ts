// /tokens: the caller's personal API tokens. POST creates one (the secret appears only in that
// answer), GET lists them without secrets, DELETE deletes them all. Needs a session access token.

import { apiTokenView } from '../lib/http/api-token-view.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { apiTokensLambda, createApiToken, deleteApiTokens, listApiTokens } from '../lib/routes/native/api-tokens.ts';
import { createApiToken as create, deleteAllApiTokens, listApiTokens as list } from '../lib/use-cases/api-tokens.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(apiTokensLambda, [
  implement(listApiTokens, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    return json(200, { tokens: (await list(caller, deps)).map(apiTokenView) });
  }),
  implement(createApiToken, async ({ event, body }) => {
    const caller = await currentUser(bearerToken(event), deps);
    const { record, token } = await create(caller, body!, deps);
    return json(201, { ...apiTokenView(record), token });
  }),
  implement(deleteApiTokens, async ({ event }) => {
    await deleteAllApiTokens(await currentUser(bearerToken(event), deps), deps);
    return noContent();
  }),
]);
