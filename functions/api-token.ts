// /tokens/{id}: one of the caller's API tokens. GET shows it, PATCH renames and/or renews it (a
// new ttl counts from now), DELETE deletes it. Another user's token id answers 404.

import { apiTokenView } from '../lib/http/api-token-view.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { apiTokenLambda, deleteApiToken, getApiToken, updateApiToken } from '../lib/routes/native/api-tokens.ts';
import { getApiToken as get, deleteApiToken as remove, updateApiToken as update } from '../lib/use-cases/api-tokens.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(apiTokenLambda, [
  implement(getApiToken, async ({ event, params }) => {
    return json(200, apiTokenView(await get(await currentUser(bearerToken(event), deps), params.id ?? '', deps)));
  }),
  implement(updateApiToken, async ({ event, body, params }) => {
    return json(200, apiTokenView(await update(await currentUser(bearerToken(event), deps), params.id ?? '', body!, deps)));
  }),
  implement(deleteApiToken, async ({ event, params }) => {
    await remove(await currentUser(bearerToken(event), deps), params.id ?? '', deps);
    return noContent();
  }),
]);
