// /tokens: the caller's personal API tokens. POST creates one (the secret appears only in that
// answer), GET lists them without secrets, DELETE deletes them all. Needs a session access token.
import { dependencies } from '../lib/app.ts';
import { noFields } from '../lib/routes/fields.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { apiTokenSchemas, apiTokenView, createApiToken, deleteAllApiTokens, listApiTokens } from '../lib/use-cases/api-tokens.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';

const deps = dependencies();
const schemas = apiTokenSchemas(deps.config);

export const handler = httpRoute({ methods: ['GET', 'POST', 'DELETE'], summary: 'Your personal API tokens: POST creates one, GET lists them, DELETE deletes them all.' }, async (event) => {
  const caller = await currentUser(bearerToken(event), deps);
  switch (event.requestContext.http.method.toUpperCase()) {
    case 'POST': {
      const { record, token } = await createApiToken(caller, validate(schemas.create, event.parsedBody ?? {}), deps);
      return json(201, { ...apiTokenView(record), token });
    }
    case 'DELETE':
      validate(noFields, event.parsedBody ?? {});
      await deleteAllApiTokens(caller, deps);
      return noContent();
    default:
      return json(200, { tokens: (await listApiTokens(caller, deps)).map(apiTokenView) });
  }
});
