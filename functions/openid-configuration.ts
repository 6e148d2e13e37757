// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4) and
// GET /.well-known/oauth-authorization-server (RFC 8414 §3): the provider metadata
// (lib/use-cases/provider-metadata.ts) that OAuth and OpenID libraries configure themselves from.
import { getConfig } from '../lib/config/all.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { oauthServerMetadata, openidConfiguration, openidConfigurationLambda } from '../lib/routes/native/discovery.ts';
import { providerMetadata } from '../lib/use-cases/provider-metadata.ts';

const metadata = providerMetadata(getConfig());
// The document changes only with a deployment: caches may keep it an hour.
const answer = async () => json(200, metadata, { 'cache-control': 'public, max-age=3600' });

export const handler = serve(openidConfigurationLambda, [implement(openidConfiguration, answer), implement(oauthServerMetadata, answer)]);
