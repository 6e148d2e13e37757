// GET and POST /oauth/userinfo (OIDC Core §5.3), Bearer access token (RFC 6750 §2.1).
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { oauthUserinfoGet, oauthUserinfoLambda, oauthUserinfoPost } from '../lib/routes/native/oauth-tokens.ts';
import { userInfo } from '../lib/use-cases/userinfo.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

const answer = async ({ event }: { event: Parameters<typeof bearerToken>[0] }) => json(200, await userInfo(bearerToken(event), deps));

// Browser clients call it from their own origins (the origins of their redirect URIs).
export const handler = serve(oauthUserinfoLambda, [implement(oauthUserinfoGet, answer), implement(oauthUserinfoPost, answer)], {
  corsOriginCheck: (origin) => deps.oauthClients.isClientOrigin(origin),
});
