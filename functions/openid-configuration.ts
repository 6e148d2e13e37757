// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4) and
// GET /.well-known/oauth-authorization-server (RFC 8414 §3): the provider metadata
// (lib/use-cases/provider-metadata.ts) that OAuth and OpenID libraries configure themselves from.
// Browser clients read it from their own pages, so registered clients' origins may (CORS).
import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { oauthServerMetadata, openidConfiguration, openidConfigurationLambda } from '../lib/routes/native/discovery.ts';
import { providerMetadata } from '../lib/use-cases/provider-metadata.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const metadata = providerMetadata(deps.config);
// The document changes only with a deployment: caches may keep it an hour.
const answer = async () => json(200, metadata, { 'cache-control': 'public, max-age=3600' });

export const handler = serve(openidConfigurationLambda, [implement(openidConfiguration, answer), implement(oauthServerMetadata, answer)], {
  corsOriginCheck: (origin) => deps.oauthClients.isClientOrigin(origin),
});
