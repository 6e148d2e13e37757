// EclecticIQ (../shared/seeds/001): POST /auth (also /api/auth) {username, password} →
// {expires_at, token}: a 30-minute JWT used as `Authorization: Bearer`; POST /logout revokes it.
import * as z from 'zod/mini';
import { ipBudget } from '../../abuse/ip-budget.ts';
import type { Dependencies } from '../../app.ts';
import { loginField } from '../fields.ts';
import { json } from '../../http/response.ts';
import type { RouteSpec } from '../../http/router.ts';
import { validate } from '../../domain/validation.ts';
import { issueAccessToken } from '../../tokens/access-tokens.ts';
import { authenticateUser } from '../../use-cases/login.ts';
import { credentialFields } from '../native/sessions.ts';

const authSchema = z.strictObject({ username: loginField('username'), password: credentialFields.password });

/** EclecticIQ writes expiry as ISO 8601 with an explicit +00:00 offset. */
const withOffset = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export function eclecticIqRoutes(deps: Dependencies): RouteSpec[] {
  const handle: RouteSpec['handle'] = async (event) => {
    const body = validate(authSchema, event.parsedBody ?? {});
    const user = await authenticateUser({ login: body.username.trim(), password: body.password }, deps);
    const access = await issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
    return json(200, { expires_at: withOffset(access.expiresAt), token: access.token });
  };
  const summary = 'Log in with username (or email) and password: a Bearer token and when it expires.';
  const guard = ipBudget('login', deps);
  return [
    { method: 'POST', path: '/auth', summary, handle, request: authSchema, auth: 'password', guard },
    { method: 'POST', path: '/api/auth', summary, handle, request: authSchema, auth: 'password', guard },
  ];
}
