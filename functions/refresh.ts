// POST /refresh {refresh_token}: a new access token and a new refresh token; the old one is spent.
import { dependencies } from '../lib/app.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { validate } from '../lib/domain/validation.ts';
import { refreshSchema, refreshSession } from '../lib/use-cases/sessions.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'Exchanges a refresh token for a new access token and a new refresh token.' }, async (event) => {
  const { refresh_token } = validate(refreshSchema, event.parsedBody ?? {});
  const tokens = await refreshSession(refresh_token, deps);
  return json(200, sessionTokensBody(tokens, deps.clock.now()));
});
