// POST /introspect {token} (RFC 7662), authenticated with the calling service's own service token.
import { dependencies } from '../lib/app.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { introspect, introspectionCaller, introspectSchema } from '../lib/use-cases/introspect.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'RFC 7662 token introspection for services, authenticated with a service token.' }, async (event) => {
  const caller = await introspectionCaller(bearerToken(event), deps);
  const { token } = validate(introspectSchema, event.parsedBody ?? {});
  return json(200, await introspect(caller, token, deps));
});
