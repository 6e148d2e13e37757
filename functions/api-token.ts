// /tokens/{id}: one of the caller's API tokens. GET shows it, PATCH renames and/or renews it (a
// new ttl counts from now), DELETE deletes it. Another user's token id answers 404.
import { dependencies } from '../lib/app.ts';
import { noFields } from '../lib/routes/fields.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { apiTokenSchemas, apiTokenView, deleteApiToken, getApiToken, updateApiToken } from '../lib/use-cases/api-tokens.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';

const deps = dependencies();
const schemas = apiTokenSchemas(deps.config);

export const handler = httpRoute({ methods: ['GET', 'PATCH', 'DELETE'], summary: 'One of your API tokens: GET shows it, PATCH renames or renews it, DELETE deletes it.' }, async (event) => {
  const caller = await currentUser(bearerToken(event), deps);
  const tokenId = event.pathParameters?.id ?? '';
  switch (event.requestContext.http.method.toUpperCase()) {
    case 'PATCH':
      return json(200, apiTokenView(await updateApiToken(caller, tokenId, validate(schemas.update, event.parsedBody ?? {}), deps)));
    case 'DELETE':
      validate(noFields, event.parsedBody ?? {});
      await deleteApiToken(caller, tokenId, deps);
      return noContent();
    default:
      return json(200, apiTokenView(await getApiToken(caller, tokenId, deps)));
  }
});
